// Field selectors (`?fieldSelector=spec.nodeName=n1,status.phase!=Failed`). Only `=`, `==`
// and `!=` exist; each kind supports a fixed set of fields, like Kubernetes.
import { badRequest } from '../status/status';

export interface FieldRequirement {
  field: string;
  operator: 'Equals' | 'NotEquals';
  value: string;
}

const COMMON_FIELDS = ['metadata.name', 'metadata.namespace'];

/** Extra fields per kind, beyond metadata.name / metadata.namespace. */
export const SUPPORTED_FIELDS: Record<string, string[]> = {
  Pod: ['spec.nodeName', 'status.phase', 'spec.restartPolicy', 'spec.schedulerName', 'status.podIP'],
  VirtualMachineInstance: ['spec.nodeName', 'status.phase', 'status.nodeName'],
  Node: ['spec.unschedulable'],
  Event: ['involvedObject.kind', 'involvedObject.name', 'involvedObject.namespace', 'involvedObject.uid', 'reason', 'type', 'source'],
  Namespace: ['status.phase'],
  Secret: ['type'],
};

/** Parses; `kind` restricts the fields (400 for unsupported ones, as Kubernetes answers). */
export function parseFieldSelector(input: string, kind?: string): FieldRequirement[] {
  if (!input.trim()) return [];
  const allowed = kind ? [...COMMON_FIELDS, ...(SUPPORTED_FIELDS[kind] ?? [])] : undefined;
  return splitTerms(input).map((term) => {
    const match = /^([^=!]+)(==|=|!=)(.*)$/.exec(term.trim());
    if (!match) throw badRequest(`invalid field selector: "${term}": expected "field=value" or "field!=value"`);
    const field = match[1].trim();
    if (allowed && !allowed.includes(field)) {
      throw badRequest(`field label not supported: ${field}`);
    }
    return { field, operator: match[2] === '!=' ? 'NotEquals' : 'Equals', value: unescape(match[3].trim()) };
  });
}

// Values may escape ',' '=' and '\' with a backslash.
function splitTerms(input: string): string[] {
  const terms: string[] = [];
  let current = '';
  for (let i = 0; i < input.length; i++) {
    if (input[i] === '\\' && i + 1 < input.length) {
      current += input[i] + input[i + 1];
      i++;
    } else if (input[i] === ',') {
      terms.push(current);
      current = '';
    } else current += input[i];
  }
  terms.push(current);
  return terms;
}

function unescape(value: string): string {
  return value.replace(/\\(.)/g, '$1');
}

/** Reads a dotted path from an object; booleans and numbers compare as their text. */
export function fieldValue(obj: unknown, field: string): string {
  let current: unknown = obj;
  for (const part of field.split('.')) {
    if (current === null || typeof current !== 'object') return '';
    current = (current as Record<string, unknown>)[part];
  }
  if (current === undefined || current === null) return field === 'spec.unschedulable' ? 'false' : '';
  return String(current);
}

export function matchesFields(obj: unknown, requirements: FieldRequirement[]): boolean {
  return requirements.every((req) => {
    const value = fieldValue(obj, req.field);
    return req.operator === 'Equals' ? value === req.value : value !== req.value;
  });
}
