/** A request path split the way the API server routes it. */
export interface ParsedPath {
  /** 'api/v1' or 'apis/{group}/{version}' */
  groupVersion: string;
  plural: string;
  namespace?: string;
  name?: string;
  subresource?: string;
}

/** Parses /api/v1/... and /apis/g/v/... resource paths; undefined for anything else. */
export function parseResourcePath(pathname: string): ParsedPath | undefined {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  let rest: string[];
  let groupVersion: string;
  if (parts[0] === 'api' && parts.length >= 3) {
    groupVersion = `api/${parts[1]}`;
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    groupVersion = `apis/${parts[1]}/${parts[2]}`;
    rest = parts.slice(3);
  } else {
    return undefined;
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [plural, name, subresource] = rest;
  if (!plural || rest.length > 3) return undefined;
  return { groupVersion, plural, namespace, name, subresource };
}
