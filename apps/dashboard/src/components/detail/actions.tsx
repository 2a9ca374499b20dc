'use client';
// The buttons of a details page and their dialogs: scale, restart (Deployments, DaemonSets,
// StatefulSets), rollback, CronJob suspend/resume and run-now, VM power, cordon/uncordon,
// drain and delete (typing the name to confirm). Every request carries the user's own
// credentials through the proxy, so RBAC decides; a refusal shows the API's message.
import { useRouter } from 'next/navigation';
import { useMemo, useState } from 'react';
import { send } from '../../client/api';
import { useKindList } from '../../client/hooks';
import * as actions from '../../lib/actions';
import { KindInfo } from '../../lib/kinds';
import { nameOf, namespaceOf, Obj } from '../../lib/objects';
import { Dialog, useToast } from '../ui';

type Open = 'scale' | 'rollback' | 'drain' | 'delete' | undefined;

export function DetailActions({ kind, obj }: { kind: KindInfo; obj: Obj }) {
  const [open, setOpen] = useState<Open>();
  const [busy, setBusy] = useState(false);
  const toast = useToast();
  const router = useRouter();
  const ns = namespaceOf(obj) ?? '';
  const name = nameOf(obj);

  const run = async (request: actions.ApiRequest | (() => actions.ApiRequest)) => {
    setBusy(true);
    try {
      const r = typeof request === 'function' ? request() : request;
      await send(r);
      toast(r.summary);
      return true;
    } catch (error) {
      toast((error as Error).message, true);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const buttons: React.ReactNode[] = [];
  if (kind.scalable) buttons.push(<button key="scale" className="btn" disabled={busy} onClick={() => setOpen('scale')}>Scale</button>);
  const restartable = actions.RESTARTABLE.find((p) => p === kind.plural);
  if (restartable) buttons.push(<button key="restart" className="btn" disabled={busy} onClick={() => run(actions.restartRollout(ns, name, new Date(), restartable))}>Restart</button>);
  if (kind.plural === 'deployments') buttons.push(<button key="rollback" className="btn" disabled={busy} onClick={() => setOpen('rollback')}>Roll back…</button>);
  if (kind.plural === 'cronjobs') {
    const suspended = Boolean(obj.spec?.suspend);
    buttons.push(<button key="suspend" className="btn" disabled={busy} onClick={() => run(actions.suspendCronJob(ns, name, !suspended))}>{suspended ? 'Resume' : 'Suspend'}</button>);
    buttons.push(<button key="trigger" className="btn" disabled={busy} onClick={() => run(() => actions.triggerCronJob(obj, actions.nameSuffix()))}>Run now</button>);
  }
  if (kind.plural === 'virtualmachines') {
    const stopped = obj.spec?.runStrategy === 'Halted' || obj.spec?.running === false;
    buttons.push(stopped ? <button key="start" className="btn primary" disabled={busy} onClick={() => run(actions.vmAction(ns, name, 'start'))}>Start</button> : <button key="stop" className="btn" disabled={busy} onClick={() => run(actions.vmAction(ns, name, 'stop'))}>Stop</button>);
    buttons.push(<button key="restart" className="btn" disabled={busy || stopped} onClick={() => run(actions.vmAction(ns, name, 'restart'))}>Restart</button>);
  }
  if (kind.plural === 'nodes') {
    const cordoned = Boolean(obj.spec?.unschedulable);
    buttons.push(<button key="cordon" className="btn" disabled={busy} onClick={() => run(actions.cordon(name, !cordoned))}>{cordoned ? 'Uncordon' : 'Cordon'}</button>);
    buttons.push(<button key="drain" className="btn" disabled={busy} onClick={() => setOpen('drain')}>Drain…</button>);
  }
  if (kind.plural !== 'events') buttons.push(<button key="delete" className="btn danger" disabled={busy} onClick={() => setOpen('delete')}>Delete</button>);

  return (
    <>
      {buttons}
      {open === 'scale' ? <ScaleDialog kind={kind} obj={obj} onClose={() => setOpen(undefined)} run={run} /> : null}
      {open === 'rollback' ? <RollbackDialog obj={obj} onClose={() => setOpen(undefined)} run={run} /> : null}
      {open === 'drain' ? <DrainDialog node={name} onClose={() => setOpen(undefined)} /> : null}
      {open === 'delete' ? (
        <DeleteDialog
          kind={kind}
          obj={obj}
          onClose={() => setOpen(undefined)}
          onDelete={async () => {
            if (await run(actions.remove(kind, namespaceOf(obj), name))) router.push(`/r/${kind.plural}`);
          }}
        />
      ) : null}
    </>
  );
}

type Run = (r: actions.ApiRequest | (() => actions.ApiRequest)) => Promise<boolean>;

function ScaleDialog({ kind, obj, onClose, run }: { kind: KindInfo; obj: Obj; onClose: () => void; run: Run }) {
  const [value, setValue] = useState(String(obj.spec?.replicas ?? 1));
  const n = Number(value);
  const valid = value.trim() !== '' && Number.isSafeInteger(n) && n >= 0;
  const submit = async () => {
    if (valid && (await run(actions.scale(kind, namespaceOf(obj)!, nameOf(obj), n)))) onClose();
  };
  return (
    <Dialog
      title={`Scale ${nameOf(obj)}`}
      onClose={onClose}
      footer={
        <>
          <button className="btn" onClick={onClose}>Cancel</button>
          <button className="btn primary" disabled={!valid} onClick={submit}>Scale</button>
        </>
      }
    >
      <form onSubmit={(e) => { e.preventDefault(); void submit(); }} className="field">
        <label htmlFor="replicas">Replicas</label>
        <input id="replicas" className="input" type="number" min={0} step={1} value={value} onChange={(e) => setValue(e.target.value)} aria-invalid={!valid} autoFocus />
        <span className="hint">Currently {obj.spec?.replicas ?? 1} desired, {obj.status?.readyReplicas ?? 0} ready.</span>
      </form>
    </Dialog>
  );
}

function RollbackDialog({ obj, onClose, run }: { obj: Obj; onClose: () => void; run: Run }) {
  const rss = useKindList('replicasets', { namespace: namespaceOf(obj) });
  const history = useMemo(() => actions.revisions(obj, rss.items), [obj, rss.items]);
  const current = Number(obj.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
  const options = history.filter((h) => h.revision !== current);
  const [choice, setChoice] = useState<string>('');
  const selected = choice || String(options[0]?.revision ?? '');
  const submit = async () => {
    if (await run(() => actions.rollback(obj, rss.items, Number(selected)))) onClose();
  };
  return (
    <Dialog
      title={`Roll back ${nameOf(obj)}`}
      onClose={onClose}
      footer={
        <>
          <button className="btn" onClick={onClose}>Cancel</button>
          <button className="btn primary" disabled={!selected} onClick={submit}>Roll back</button>
        </>
      }
    >
      {options.length === 0 ? (
        <p className="muted">{rss.status === 'loading' ? 'Loading revisions…' : 'There is no earlier revision to roll back to.'}</p>
      ) : (
        <div className="field">
          <label htmlFor="revision">Revision</label>
          <select id="revision" className="select" value={selected} onChange={(e) => setChoice(e.target.value)}>
            {options.map((h) => (
              <option key={h.revision} value={h.revision}>
                {h.revision} — {(h.rs.spec?.template?.spec?.containers ?? []).map((c: Obj) => c.image).join(', ')} ({nameOf(h.rs)})
              </option>
            ))}
          </select>
          <span className="hint">The Deployment takes that revision&apos;s Pod template; a rollout follows. Current revision: {current || 'unknown'}.</span>
        </div>
      )}
    </Dialog>
  );
}

function DrainDialog({ node, onClose }: { node: string; onClose: () => void }) {
  const pods = useKindList('pods', { fieldSelector: `spec.nodeName=${node}` });
  const plan = useMemo(() => actions.drainPlan(node, pods.items), [node, pods.items]);
  const [log, setLog] = useState<string[]>([]);
  const [running, setRunning] = useState(false);
  const toast = useToast();
  const drain = async () => {
    setRunning(true);
    const lines: string[] = [];
    const note = (line: string) => {
      lines.push(line);
      setLog([...lines]);
    };
    try {
      await send(actions.cordon(node, true));
      note(`node/${node} cordoned`);
      for (const pod of plan.evict) {
        try {
          await send(actions.evict(pod));
          note(`evicting pod ${namespaceOf(pod)}/${nameOf(pod)}`);
        } catch (error) {
          note(`cannot evict ${namespaceOf(pod)}/${nameOf(pod)}: ${(error as Error).message}`);
        }
      }
      toast(`node/${node} drained (${plan.evict.length} evicted)`);
    } catch (error) {
      note(`drain failed: ${(error as Error).message}`);
      toast((error as Error).message, true);
    } finally {
      setRunning(false);
    }
  };
  return (
    <Dialog
      title={`Drain ${node}`}
      onClose={onClose}
      wide
      footer={
        <>
          <button className="btn" onClick={onClose}>{log.length ? 'Close' : 'Cancel'}</button>
          <button className="btn danger solid" disabled={running || pods.status !== 'live'} onClick={drain}>Cordon and evict {plan.evict.length}</button>
        </>
      }
    >
      <p>The node is cordoned, then each Pod below is evicted; their controllers recreate them elsewhere. VM instances are moved by their owners.</p>
      {plan.evict.length ? (
        <ul className="small mono">
          {plan.evict.map((p) => (
            <li key={`${namespaceOf(p)}/${nameOf(p)}`}>{namespaceOf(p)}/{nameOf(p)}</li>
          ))}
        </ul>
      ) : (
        <p className="muted">{pods.status === 'loading' ? 'Loading Pods…' : 'No Pods to evict.'}</p>
      )}
      {plan.skipped.length ? <p className="small muted">Kept: {plan.skipped.map((s) => `${nameOf(s.pod)} (${s.why})`).join(', ')}</p> : null}
      {log.length ? (
        <pre className="code" role="log" aria-live="polite">
          {log.join('\n')}
        </pre>
      ) : null}
    </Dialog>
  );
}

function DeleteDialog({ kind, obj, onClose, onDelete }: { kind: KindInfo; obj: Obj; onClose: () => void; onDelete: () => Promise<void> }) {
  const [typed, setTyped] = useState('');
  const name = nameOf(obj);
  const ok = typed === name;
  return (
    <Dialog
      title={`Delete ${kind.kind.toLowerCase()} ${name}?`}
      onClose={onClose}
      footer={
        <>
          <button className="btn" onClick={onClose}>Cancel</button>
          <button className="btn danger solid" disabled={!ok} onClick={onDelete}>Delete</button>
        </>
      }
    >
      <p>
        This deletes <strong>{name}</strong>
        {namespaceOf(obj) ? <> in namespace <strong>{namespaceOf(obj)}</strong></> : null}
        {['deployments', 'replicasets', 'virtualmachines', 'virtualmachineinstancereplicasets', 'namespaces'].includes(kind.plural) ? ' and everything it owns' : ''}. It cannot be undone.
      </p>
      <form className="field" onSubmit={(e) => { e.preventDefault(); if (ok) void onDelete(); }}>
        <label htmlFor="confirm-name">Type the name to confirm</label>
        <input id="confirm-name" className="input mono" value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" autoFocus />
      </form>
    </Dialog>
  );
}
