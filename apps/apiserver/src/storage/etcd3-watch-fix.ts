// etcd3 (1.1.2) throws from its stream handler when etcd answers for a watcher that was just
// cancelled ("Failed to find watcher for IWatchResponse"), which kills the process. Such a
// response is harmless: drop it. Applied once, at import.
import { WatchManager } from 'etcd3/lib/watch';

type Manager = { watchers: Array<{ id: string | null }>; handleResponse(res: { watch_id: string }): void };

const proto = WatchManager.prototype as unknown as Manager & { __coxswainPatched?: boolean };
if (!proto.__coxswainPatched) {
  const original = proto.handleResponse;
  proto.handleResponse = function (this: Manager, res: { watch_id: string }) {
    if (!this.watchers.some((w) => w.id === res.watch_id)) return;
    original.call(this, res);
  };
  proto.__coxswainPatched = true;
}

export {};
