// Boolean query parameters read the way the Kubernetes API server reads them
// (apimachinery's Convert_Slice_string_To_bool): absent, "0" or "false" in any case is false;
// every other value — "True", "t", "yes", even an empty `?watch` — is true. Official clients
// send `watch=True` (Python) or `watch=1`, so matching only "true"/"1" silently turns their
// watches into plain lists.
export function parseQueryBool(value: string | null | undefined): boolean {
  if (value === null || value === undefined) return false;
  return value !== '0' && value.toLowerCase() !== 'false';
}

/** The first value of a boolean query parameter, as Kubernetes decodes it. */
export function queryBool(query: URLSearchParams, name: string): boolean {
  return parseQueryBool(query.get(name));
}
