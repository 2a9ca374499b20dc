// The READY / STATUS / RESTARTS cells of `kubectl get pods` (printPod in kubectl's
// internalversion printers), as pure functions of the Pod.
import { Obj } from '../types';
import { age } from './age';

export interface PodSummary {
  ready: string;
  status: string;
  restarts: string;
}

const isRestartableInit = (pod: Obj, name: string) =>
  ((pod.spec?.initContainers ?? []) as Obj[]).some((c) => c.name === name && c.restartPolicy === 'Always');

const hasCondition = (pod: Obj, type: string) => ((pod.status?.conditions ?? []) as Obj[]).some((c) => c.type === type && c.status === 'True');

const later = (a: string | undefined, b: string | undefined) => (!a ? b : !b ? a : Date.parse(b) > Date.parse(a) ? b : a);

export function podSummary(pod: Obj, now: Date): PodSummary {
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  const containers = (spec.containers ?? []) as Obj[];
  const initContainers = (spec.initContainers ?? []) as Obj[];
  let restarts = 0;
  let restartableInitRestarts = 0;
  let totalContainers = containers.length;
  let readyContainers = 0;
  let lastRestart: string | undefined;
  let lastRestartableInitRestart: string | undefined;
  let reason: string = status.phase ?? '';
  if (status.reason) reason = status.reason;
  // A pod gated from scheduling says so rather than Pending.
  if (((status.conditions ?? []) as Obj[]).some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) reason = 'SchedulingGated';

  for (const c of initContainers) if (c.restartPolicy === 'Always') totalContainers++;

  let initializing = false;
  const initStatuses = (status.initContainerStatuses ?? []) as Obj[];
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i];
    restarts += c.restartCount ?? 0;
    const finished = c.lastState?.terminated?.finishedAt as string | undefined;
    if (finished) lastRestart = later(lastRestart, finished);
    const restartable = isRestartableInit(pod, c.name);
    if (restartable) {
      restartableInitRestarts += c.restartCount ?? 0;
      if (finished) lastRestartableInitRestart = later(lastRestartableInitRestart, finished);
    }
    const terminated = c.state?.terminated;
    const waiting = c.state?.waiting;
    if (terminated && terminated.exitCode === 0) continue;
    if (restartable && c.started) {
      if (c.ready) readyContainers++;
      continue;
    }
    if (terminated) {
      reason = terminated.reason ? `Init:${terminated.reason}` : terminated.signal ? `Init:Signal:${terminated.signal}` : `Init:ExitCode:${terminated.exitCode}`;
    } else if (waiting?.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${initContainers.length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || hasCondition(pod, 'Initialized')) {
    restarts = restartableInitRestarts;
    lastRestart = lastRestartableInitRestart;
    let hasRunning = false;
    const statuses = (status.containerStatuses ?? []) as Obj[];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i];
      restarts += c.restartCount ?? 0;
      const finished = c.lastState?.terminated?.finishedAt as string | undefined;
      if (finished) lastRestart = later(lastRestart, finished);
      const terminated = c.state?.terminated;
      if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
      else if (terminated?.reason) reason = terminated.reason;
      else if (terminated) reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = hasCondition(pod, 'Ready') ? 'Running' : 'NotReady';
  }

  const terminal = status.phase === 'Succeeded' || status.phase === 'Failed';
  if (pod.metadata?.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata?.deletionTimestamp && !terminal) reason = 'Terminating';

  const restartsText = restarts !== 0 && lastRestart ? `${restarts} (${age(lastRestart, now)} ago)` : String(restarts);
  return { ready: `${readyContainers}/${totalContainers}`, status: reason, restarts: restartsText };
}
