// Container lifecycle hooks (v1 LifecycleHandler) as the kubelet runs them: `exec` in the
// container and `httpGet` against the pod with the probe checks, `sleep` on the node; each
// bounded by a deadline (the grace period for preStop). tcpSocket is accepted by the API for
// compatibility only and fails at run time, as in Kubernetes.
import { LifecycleHandler } from '../sync/model';
import { ProbeTarget, runCheck } from './checks';

/** Runs the hook; resolves to why it failed, or undefined when it succeeded. */
export async function runLifecycleHandler(handler: LifecycleHandler, target: ProbeTarget, timeoutMs: number): Promise<string | undefined> {
  if (handler.sleep) {
    const ms = Math.min(Math.max(0, handler.sleep.seconds) * 1000, timeoutMs);
    await new Promise((resolve) => setTimeout(resolve, ms));
    return undefined;
  }
  if (handler.exec || handler.httpGet) {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<{ ok: false; message: string }>((resolve) => {
      timer = setTimeout(() => resolve({ ok: false, message: `did not finish within ${timeoutMs / 1000} s` }), timeoutMs);
    });
    const result = await Promise.race([runCheck({ exec: handler.exec, httpGet: handler.httpGet }, target, timeoutMs), deadline]);
    clearTimeout(timer);
    return result.ok ? undefined : result.message;
  }
  if (handler.tcpSocket) return 'tcpSocket is not supported as a lifecycle handler';
  return 'lifecycle handler has no action';
}
