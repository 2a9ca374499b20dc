// Cross-field rules for batch/v1 Job and CronJob, worded like Kubernetes' batch validation.
import { parseCronSchedule, isValidTimeZone } from '../batch/cron';
import { CauseReason, StatusCause } from '../status/status';
import { JOB_LABELS } from '../types/batch';
import { checkPodSpec, checkSelectorAgainstTemplate } from './semantics';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const show = (value: unknown): string => JSON.stringify(value);
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const invalidCause = (field: string, value: unknown, why: string): StatusCause => ({ reason: CauseReason.Invalid, field, message: `Invalid value: ${show(value)}: ${why}` });
const requiredCause = (field: string, why: string): StatusCause => ({ reason: CauseReason.Required, field, message: `Required value: ${why}` });

/** Kubernetes caps Indexed Jobs at 10^5 completions and parallelism. */
export const MAX_INDEXED_COMPLETIONS = 100_000;

/** A Job spec at `path` (`spec`, or `spec.jobTemplate.spec` inside a CronJob). */
export function checkJobSpec(spec: unknown, path: string, meta: Obj | undefined, generated: boolean): StatusCause[] {
  if (!isObj(spec)) return [];
  const causes: StatusCause[] = [];
  if (generated) {
    if (spec.manualSelector === true) {
      if (spec.selector === undefined) causes.push({ reason: CauseReason.Required, field: `${path}.selector`, message: 'Required value' });
      else causes.push(...checkSelectorAgainstTemplate(spec.selector, spec.template, path, 'job'));
    } else if (spec.selector !== undefined && !isGeneratedSelector(spec.selector, meta?.uid)) {
      causes.push(invalidCause(`${path}.selector`, spec.selector, '`selector` not auto-generated'));
    }
  }
  const template = isObj(spec.template) ? spec.template : undefined;
  if (template) {
    causes.push(...checkPodSpec(template.spec, `${path}.template.spec`));
    const policy = isObj(template.spec) ? template.spec.restartPolicy : undefined;
    if (policy !== 'OnFailure' && policy !== 'Never') {
      causes.push({ reason: CauseReason.NotSupported, field: `${path}.template.spec.restartPolicy`, message: `Unsupported value: ${show(policy ?? '')}: supported values: "OnFailure", "Never"` });
    }
    if (isObj(spec.podFailurePolicy) && policy !== 'Never') {
      causes.push(invalidCause(`${path}.template.spec.restartPolicy`, policy ?? '', 'only "Never" is supported when podFailurePolicy is specified'));
    }
  }
  if (spec.completionMode === 'Indexed') {
    if (spec.completions === undefined || spec.completions === null) causes.push(requiredCause(`${path}.completions`, 'when completion mode is Indexed'));
    else if (typeof spec.completions === 'number' && spec.completions > MAX_INDEXED_COMPLETIONS) causes.push(invalidCause(`${path}.completions`, spec.completions, `must be less than or equal to ${MAX_INDEXED_COMPLETIONS} when completion mode is Indexed`));
    if (typeof spec.parallelism === 'number' && spec.parallelism > MAX_INDEXED_COMPLETIONS) causes.push(invalidCause(`${path}.parallelism`, spec.parallelism, `must be less than or equal to ${MAX_INDEXED_COMPLETIONS} when completion mode is Indexed`));
  }
  const rules = isObj(spec.podFailurePolicy) && Array.isArray(spec.podFailurePolicy.rules) ? spec.podFailurePolicy.rules : [];
  rules.forEach((rule: unknown, i: number) => {
    if (!isObj(rule)) return;
    const at = `${path}.podFailurePolicy.rules[${i}]`;
    const hasCodes = rule.onExitCodes !== undefined;
    const hasConditions = Array.isArray(rule.onPodConditions) && rule.onPodConditions.length > 0;
    if (hasCodes === hasConditions) causes.push(invalidCause(at, '', 'specifying one of OnExitCodes and OnPodConditions is required'));
    if (rule.action === 'FailIndex' && spec.completionMode !== 'Indexed') causes.push(invalidCause(`${at}.action`, 'FailIndex', 'requires the Indexed completion mode and backoffLimitPerIndex, which Coxswain does not offer'));
    const codes = isObj(rule.onExitCodes) ? rule.onExitCodes.values : undefined;
    if (hasCodes) {
      if (!Array.isArray(codes) || codes.length === 0) causes.push(requiredCause(`${at}.onExitCodes.values`, 'at least one value is required'));
      else {
        codes.forEach((code: unknown, j: number) => {
          if (!Number.isSafeInteger(code)) causes.push(invalidCause(`${at}.onExitCodes.values[${j}]`, code, 'must be an integer'));
          else if (code === 0 && rule.onExitCodes.operator === 'In') causes.push(invalidCause(`${at}.onExitCodes.values[${j}]`, 0, 'must not be 0 for the In operator'));
        });
        const sorted = codes.every((c: unknown, j: number) => j === 0 || (typeof c === 'number' && c > codes[j - 1]));
        if (!sorted) causes.push(invalidCause(`${at}.onExitCodes.values`, codes, 'must be ordered and unique'));
      }
    }
  });
  return causes;
}

/**
 * What the API server generates: `batch.kubernetes.io/controller-uid: <uid>`. Without a uid
 * in the body (a PUT that omits it) the key is enough: create regenerates the selector and
 * update keeps it immutable.
 */
function isGeneratedSelector(selector: unknown, uid: unknown): boolean {
  if (!isObj(selector) || !isObj(selector.matchLabels)) return false;
  const value = selector.matchLabels[JOB_LABELS.controllerUid];
  return typeof uid === 'string' && uid !== '' ? value === uid : typeof value === 'string';
}

export function checkJob(obj: Obj): StatusCause[] {
  return checkJobSpec(obj.spec, 'spec', obj.metadata, true);
}

export function checkCronJob(obj: Obj): StatusCause[] {
  const spec = obj.spec;
  if (!isObj(spec)) return [];
  const causes: StatusCause[] = [];
  if (typeof spec.schedule === 'string' && spec.schedule !== '') {
    const parsed = parseCronSchedule(spec.schedule);
    if (!parsed.ok) causes.push(invalidCause('spec.schedule', spec.schedule, parsed.error));
  }
  if (typeof spec.timeZone === 'string' && !isValidTimeZone(spec.timeZone)) causes.push(invalidCause('spec.timeZone', spec.timeZone, 'unknown time zone'));
  const jobTemplate = isObj(spec.jobTemplate) ? spec.jobTemplate : undefined;
  if (jobTemplate) causes.push(...checkJobSpec(jobTemplate.spec, 'spec.jobTemplate.spec', undefined, false));
  // Job names are `<cronjob>-<minutes since epoch>` (up to 11 more characters) within 63.
  if (typeof obj.metadata?.name === 'string' && obj.metadata.name.length > 52) {
    causes.push(invalidCause('metadata.name', obj.metadata.name, 'must be no more than 52 characters'));
  }
  return causes;
}

/** Update rules: the selector and completion mode stay; the template only changes while suspended. */
export function checkJobUpdate(previous: Obj, next: Obj): StatusCause[] {
  const causes: StatusCause[] = [];
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  const immutable = (field: string, value: unknown) => invalidCause(field, value, 'field is immutable');
  if (!same(previous.spec?.selector, next.spec?.selector)) causes.push(immutable('spec.selector', next.spec?.selector));
  if (!same(previous.spec?.completionMode, next.spec?.completionMode)) causes.push(immutable('spec.completionMode', next.spec?.completionMode));
  if (!same(previous.spec?.completions, next.spec?.completions)) causes.push(immutable('spec.completions', next.spec?.completions));
  if (!same(previous.spec?.podFailurePolicy, next.spec?.podFailurePolicy)) causes.push(immutable('spec.podFailurePolicy', next.spec?.podFailurePolicy));
  if (!same(previous.spec?.template, next.spec?.template) && !(previous.spec?.suspend === true && previous.status?.startTime === undefined)) {
    causes.push(immutable('spec.template', next.spec?.template));
  }
  return causes;
}
