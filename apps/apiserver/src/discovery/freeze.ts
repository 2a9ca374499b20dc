// Memoised documents are shared by every request; freezing them turns an accidental
// mutation by a caller into an error instead of a corrupted answer for everyone after.
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value) && !Buffer.isBuffer(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
