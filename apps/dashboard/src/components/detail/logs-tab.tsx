'use client';
// Container logs, streamed: the proxy passes the API's chunked text through as it arrives.
// Follow keeps the stream open; Previous reads the last terminated container's log.
import { useEffect, useRef, useState } from 'react';
import { errorFrom, proxied } from '../../client/api';
import { objectPath, kindByPlural } from '../../lib/kinds';
import { nameOf, namespaceOf, Obj } from '../../lib/objects';
import { logQuery, trimLog } from '../../lib/logs';

export function LogsTab({ pod }: { pod: Obj }) {
  const containers: string[] = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((c: Obj) => c.name);
  const [container, setContainer] = useState(containers[containers.length - 1] ?? '');
  const [follow, setFollow] = useState(true);
  const [previous, setPrevious] = useState(false);
  const [text, setText] = useState('');
  const [status, setStatus] = useState<'connecting' | 'streaming' | 'ended' | 'error'>('connecting');
  const [error, setError] = useState<string>();
  const [stick, setStick] = useState(true);
  const pre = useRef<HTMLPreElement>(null);
  const uid = pod.metadata?.uid;

  useEffect(() => {
    const abort = new AbortController();
    setText('');
    setError(undefined);
    setStatus('connecting');
    const path = `${objectPath(kindByPlural('pods')!, namespaceOf(pod), nameOf(pod), 'log')}?${logQuery({ container, follow: follow && !previous, previous, tailLines: 2000 })}`;
    (async () => {
      try {
        const res = await fetch(proxied(path), { signal: abort.signal, headers: { accept: 'text/plain' } });
        if (!res.ok || !res.body) throw await errorFrom(res);
        setStatus('streaming');
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          setText((t) => trimLog(t + value));
        }
        setStatus('ended');
      } catch (err) {
        if (abort.signal.aborted) return;
        setStatus('error');
        setError((err as Error).message);
      }
    })();
    return () => abort.abort();
    // A new pod incarnation (uid) restarts the stream; status changes do not.
  }, [container, follow, previous, uid]);

  useEffect(() => {
    if (stick && pre.current) pre.current.scrollTop = pre.current.scrollHeight;
  }, [text, stick]);

  return (
    <div className="stack">
      <div className="toolbar">
        <div className="field">
          <label htmlFor="log-container">Container</label>
          <select id="log-container" className="select" value={container} onChange={(e) => setContainer(e.target.value)}>
            {containers.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </div>
        <label className="row small">
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} disabled={previous} /> Follow
        </label>
        <label className="row small">
          <input type="checkbox" checked={previous} onChange={(e) => setPrevious(e.target.checked)} /> Previous container
        </label>
        <span className="spacer" />
        <span className={`live-dot ${status === 'streaming' ? 'live' : status === 'error' ? 'error' : ''}`} role="status">
          {status === 'streaming' ? (follow && !previous ? 'Following' : 'Reading') : status === 'ended' ? 'End of log' : status === 'error' ? 'Error' : 'Connecting…'}
        </span>
      </div>
      {error ? (
        <div className="notice error" role="alert">
          {error}
        </div>
      ) : null}
      <pre
        ref={pre}
        className="logs"
        tabIndex={0}
        aria-label={`Log of ${container}`}
        data-testid="pod-logs"
        onScroll={(e) => {
          const el = e.currentTarget;
          setStick(el.scrollHeight - el.scrollTop - el.clientHeight < 24);
        }}
      >
        {text || (status === 'streaming' || status === 'ended' ? '(no output yet)' : '')}
      </pre>
    </div>
  );
}
