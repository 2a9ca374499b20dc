// Finds the runtime instances of a pod's container on this node, for logs, exec and attach.
import { Status } from '@coxswain/proto/server';
import { CONTAINER_LABELS } from '@coxswain/runtime';
import type { GrpcApiDeps } from './grpc-api';

export const fail = (code: Status, details: string) => Object.assign(new Error(details), { code, details });

/** The instances of one container of a pod, newest attempt first. */
export async function instances(deps: GrpcApiDeps, namespace: string, pod: string, container?: string) {
  const all = (await deps.containers.list()).filter((s) => s.labels[CONTAINER_LABELS.podNamespace] === namespace && s.labels[CONTAINER_LABELS.podName] === pod);
  if (all.length === 0) throw fail(Status.NOT_FOUND, `pod "${pod}" has no containers on node ${deps.nodeName}`);
  const names = [...new Set(all.map((s) => s.labels[CONTAINER_LABELS.containerName]))];
  const name = container || (names.length === 1 ? names[0] : undefined);
  if (!name) throw fail(Status.INVALID_ARGUMENT, `a container name must be specified for pod ${pod}, choose one of: [${names.join(' ')}]`);
  const mine = all.filter((s) => s.labels[CONTAINER_LABELS.containerName] === name).sort((a, b) => Number(b.labels[CONTAINER_LABELS.attempt]) - Number(a.labels[CONTAINER_LABELS.attempt]));
  if (mine.length === 0) throw fail(Status.NOT_FOUND, `container ${name} is not valid for pod ${pod}`);
  return { name, mine };
}

