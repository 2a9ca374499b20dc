// Strategic merge patch (application/strategic-merge-patch+json), the format kubectl apply
// and kubectl edit send. Lists of objects merge by a key (containers by name, ports by
// containerPort, …); lists without a merge key are replaced; `null` deletes a field.
// Directives: $patch (replace|delete|merge), $setElementOrder/<list>,
// $deleteFromPrimitiveList/<list>, $retainKeys.
import { badRequest, mergeKeyFor, MERGED_PRIMITIVE_LISTS } from '@coxswain/api';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

export function strategicMergePatch(original: unknown, patch: unknown): unknown {
  if (!isObject(patch)) throw badRequest('strategic merge patch must be a JSON object');
  return mergeMap(isObject(original) ? (original as JsonObject) : {}, patch, undefined);
}

function mergeMap(original: JsonObject, patch: JsonObject, parentField: string | undefined): Json | undefined {
  const directive = patch.$patch;
  if (directive === 'delete') return undefined;
  if (directive === 'replace') {
    const { $patch: _ignored, ...rest } = patch;  
    return stripDirectives(rest);
  }
  const result: JsonObject = { ...original };
  const retain = patch.$retainKeys;
  if (Array.isArray(retain)) {
    for (const key of Object.keys(result)) if (!retain.includes(key)) delete result[key];
  }
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys' || key.startsWith('$setElementOrder/')) continue;
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const field = key.slice('$deleteFromPrimitiveList/'.length);
      const current = result[field];
      if (Array.isArray(current) && Array.isArray(value)) result[field] = current.filter((item) => !value.includes(item));
      continue;
    }
    if (value === null) {
      delete result[key];
      continue;
    }
    const existing = result[key];
    if (isObject(value)) {
      const merged = mergeMap(isObject(existing) ? existing : {}, value, key);
      if (merged === undefined) delete result[key];
      else result[key] = merged;
    } else if (Array.isArray(value)) {
      result[key] = mergeList(Array.isArray(existing) ? existing : [], value, key, parentField, patch[`$setElementOrder/${key}`]);
    } else {
      result[key] = value;
    }
  }
  // A $setElementOrder for a list the patch does not otherwise touch still reorders it.
  for (const [key, order] of Object.entries(patch)) {
    if (!key.startsWith('$setElementOrder/')) continue;
    const field = key.slice('$setElementOrder/'.length);
    if (field in patch) continue;
    const current = result[field];
    if (Array.isArray(current) && Array.isArray(order)) result[field] = reorder(current, order, mergeKeyFor(field, parentField));
  }
  return result;
}

function mergeList(original: Json[], patch: Json[], field: string, parentField: string | undefined, order: Json | undefined): Json[] {
  const mergeKey = mergeKeyFor(field, parentField);
  const objects = patch.every(isObject);
  if (objects && patch.some((item) => isObject(item) && item.$patch === 'replace')) {
    return patch.filter((item) => !(isObject(item) && item.$patch === 'replace')).map((item) => stripDirectives(item));
  }
  if (!mergeKey || !objects) {
    if (!objects && MERGED_PRIMITIVE_LISTS.has(field)) {
      const merged = [...original];
      for (const item of patch) if (!merged.includes(item)) merged.push(item);
      return Array.isArray(order) ? reorder(merged, order, undefined) : merged;
    }
    return patch.map((item) => stripDirectives(item));
  }
  const result: Json[] = original.map((item) => item);
  for (const item of patch as JsonObject[]) {
    const keyValue = item[mergeKey];
    const index = result.findIndex((existing) => isObject(existing) && existing[mergeKey] === keyValue);
    if (item.$patch === 'delete') {
      if (index >= 0) result.splice(index, 1);
      continue;
    }
    if (index >= 0) {
      const merged = mergeMap(result[index] as JsonObject, item, field);
      if (merged === undefined) result.splice(index, 1);
      else result[index] = merged;
    } else {
      result.push(stripDirectives(item));
    }
  }
  return Array.isArray(order) ? reorder(result, order, mergeKey) : result;
}

/** Listed elements first in the given order, then the rest in their current order. */
function reorder(list: Json[], order: Json[], mergeKey: string | undefined): Json[] {
  const keyOf = (item: Json): Json => (mergeKey && isObject(item) ? item[mergeKey] : item);
  const orderKeys = order.map((entry) => (mergeKey && isObject(entry) ? entry[mergeKey] : entry));
  const listed = orderKeys.map((key) => list.find((item) => keyOf(item) === key)).filter((item): item is Json => item !== undefined);
  const rest = list.filter((item) => !orderKeys.includes(keyOf(item)));
  return [...listed, ...rest];
}

function stripDirectives(value: Json): Json {
  if (Array.isArray(value)) return value.map(stripDirectives);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    if (key.startsWith('$')) continue;
    if (item === null) continue;
    out[key] = stripDirectives(item);
  }
  return out;
}
