// Validation problems placed at editor lines: YAML parse errors and the API's Status causes.
export interface Problem {
  line: number;
  message: string;
  field?: string;
}

/** Each cause with a field goes to that field's line; the rest to the document's first line. */
export function problemsFrom(error: { message: string; causes?: Array<{ field?: string; message?: string; reason?: string }> }, lineOf: (field: string) => number, fallbackLine = 1): Problem[] {
  const causes = (error.causes ?? []).filter((c) => c.message || c.field);
  if (!causes.length) return [{ line: fallbackLine, message: error.message }];
  return causes.map((c) => ({ line: c.field ? lineOf(c.field) : fallbackLine, field: c.field, message: c.message ?? c.reason ?? error.message }));
}
