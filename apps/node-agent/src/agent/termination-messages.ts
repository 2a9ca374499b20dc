// Reads the termination message of each container instance once after it exits, into the
// memory the status reads (sync/termination-message.ts has the kubelet's rules).
import { Pod } from '@coxswain/api/browser';
import { NodeMemory, ObservedPod } from '../sync/model';
import { FALLBACK_LOG_BYTES, FALLBACK_LOG_LINES, lastBytes, MAX_TERMINATION_MESSAGE_BYTES, terminationMessage, terminationMessagePath, wantsLogs } from '../sync/termination-message';

export interface TerminationMessageSource {
  /**
   * The file at `path` as the exited container left it (the kubelet bind-mounts a host file
   * there); undefined when it does not exist or the runtime cannot reach it.
   */
  file?(containerId: string, path: string): Promise<Buffer | undefined>;
  /** The container's log, its last `lines` lines, at most `maxBytes` of them (kubectl logs' rendering). */
  logTail(containerId: string, lines: number, maxBytes: number): Promise<string>;
}

/** Fills in the messages of instances that exited since the last pass; true when one was added. */
export async function collectTerminationMessages(pods: Pod[], observed: ObservedPod[], memory: NodeMemory, source: TerminationMessageSource): Promise<boolean> {
  const byUid = new Map(observed.map((o) => [o.uid, o]));
  const reads: Array<Promise<void>> = [];
  for (const pod of pods) {
    const seen = byUid.get(pod.metadata.uid!);
    if (!seen) continue;
    for (const spec of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
      const instances = seen.containers.filter((c) => c.name === spec.name);
      const existing = memory.pods[pod.metadata.uid!]?.[spec.name]?.terminationMessages;
      if (existing) for (const id of Object.keys(existing)) if (!instances.some((c) => c.id === id)) delete existing[id];
      for (const c of instances) {
        if (c.state !== 'exited' || existing?.[c.id] !== undefined) continue;
        reads.push((async () => {
          const path = terminationMessagePath(spec);
          const raw = path ? await source.file?.(c.id, path).catch(() => undefined) : undefined;
          const file = raw === undefined ? undefined : lastBytes(raw, MAX_TERMINATION_MESSAGE_BYTES);
          const log = wantsLogs(spec, c.exitCode, file) ? await source.logTail(c.id, FALLBACK_LOG_LINES, FALLBACK_LOG_BYTES).catch(() => '') : undefined;
          const mem = ((memory.pods[pod.metadata.uid!] ??= {})[spec.name] ??= {});
          (mem.terminationMessages ??= {})[c.id] = terminationMessage(spec, c.exitCode, file, log);
        })());
      }
    }
  }
  await Promise.all(reads);
  return reads.length > 0;
}
