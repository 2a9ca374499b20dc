// `npm run up` runs as npm → sh -c → node. A SIGTERM sent to npm (what a tool that spawned
// `npm run up` sends) reaches the sh, which dies without passing it on: the launcher would be
// left running with init as its parent, and the cluster with it. So the launcher also stops
// when its parent goes away.

/** Calls `onExit` once the parent process has exited (this process re-parented); returns a stop function. */
export function onParentExit(onExit: () => void, intervalMs = 500): () => void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onExit();
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
