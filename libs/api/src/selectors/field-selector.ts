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
  Event: ['involvedObject.kind', 'involvedObject.name', 'involvedObject.namespace', 'involvedObject.uid', 'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', 'type', 'source'],
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

/**
 * Field labels of served versions that name a stored field differently (Kubernetes'
 * AddFieldLabelConversionFunc): events.k8s.io/v1 Events are stored as core/v1 Events, so their
 * `regarding.*` and `reportingController` select the core `involvedObject.*` and
 * `reportingComponent`. Only the labels listed are accepted for that version.
 */
export const FIELD_LABEL_CONVERSIONS: Record<string, Record<string, string>> = {
  'events.k8s.io/v1/Event': {
    'metadata.name': 'metadata.name',
    'metadata.namespace': 'metadata.namespace',
    reason: 'reason',
    'regarding.kind': 'involvedObject.kind',
    'regarding.namespace': 'involvedObject.namespace',
    'regarding.name': 'involvedObject.name',
    'regarding.uid': 'involvedObject.uid',
    'regarding.apiVersion': 'involvedObject.apiVersion',
    'regarding.resourceVersion': 'involvedObject.resourceVersion',
    'regarding.fieldPath': 'involvedObject.fieldPath',
    reportingController: 'reportingComponent',
    source: 'source',
    type: 'type',
  },
};

const escapeValue = (value: string) => value.replace(/[\\,=]/g, (c) => `\\${c}`);

/**
 * A selector in a served version's field labels → the same selector in the stored version's;
 * a label the version does not convert is a 400 with Kubernetes' message.
 */
export function convertFieldSelector(input: string, labels: Record<string, string>): string {
  return parseFieldSelector(input)
    .map((req) => {
      const field = labels[req.field];
      if (!field) throw badRequest(`field label not supported: ${req.field}`);
      return `${field}${req.operator === 'Equals' ? '=' : '!='}${escapeValue(req.value)}`;
    })
    .join(',');
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
  // An Event's `source` selects its component, or the reporting controller of a new-style event.
  if (field === 'source') {
    const event = (obj ?? {}) as { source?: { component?: string }; reportingComponent?: string };
    return event.source?.component || event.reportingComponent || '';
  }
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
