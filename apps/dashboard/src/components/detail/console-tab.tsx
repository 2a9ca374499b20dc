'use client';
// The VMI's serial console in an xterm: bytes go through the dashboard server's websocket
// relay (/api/console/ns/name), which adds the bearer token towards the API server.
import { useEffect, useRef, useState } from 'react';
import type { Terminal } from '@xterm/xterm';
import { consoleUrl, parseControl } from '../../lib/console';

type State = { phase: 'connecting' | 'connected' | 'closed' | 'error'; message?: string };

export function ConsoleTab({ namespace, name, running }: { namespace: string; name: string; running: boolean }) {
  const host = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<State>({ phase: 'connecting' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!running || !host.current) return;
    let term: Terminal | undefined;
    let ws: WebSocket | undefined;
    let disposed = false;
    const el = host.current;
    setState({ phase: 'connecting' });
    (async () => {
      const { Terminal } = await import('@xterm/xterm');
      if (disposed) return;
      const cols = Math.max(40, Math.floor((el.clientWidth - 16) / 7.8));
      const rows = Math.max(10, Math.floor((el.clientHeight - 16) / 17));
      term = new Terminal({ cols, rows, cursorBlink: true, fontFamily: 'ui-monospace, "DejaVu Sans Mono", monospace', fontSize: 13, scrollback: 5000, theme: { background: '#0d1117', foreground: '#d6dde6' }, screenReaderMode: false });
      term.open(el);
      term.focus();
      ws = new WebSocket(consoleUrl(window.location, namespace, name));
      ws.binaryType = 'arraybuffer';
      const encoder = new TextEncoder();
      ws.onopen = () => setState({ phase: 'connected' });
      ws.onmessage = (event) => {
        if (typeof event.data === 'string') {
          const control = parseControl(event.data);
          if (control) setState({ phase: control.type === 'error' ? 'error' : 'closed', message: control.message });
          return;
        }
        term?.write(new Uint8Array(event.data as ArrayBuffer));
      };
      ws.onclose = () => setState((s) => (s.phase === 'error' ? s : { phase: 'closed', message: s.message ?? 'disconnected' }));
      term.onData((data) => {
        if (ws?.readyState === WebSocket.OPEN) ws.send(encoder.encode(data));
      });
    })();
    return () => {
      disposed = true;
      ws?.close();
      term?.dispose();
    };
  }, [namespace, name, running, attempt]);

  if (!running) return <p className="muted">The console is available while the VM instance is running.</p>;
  return (
    <div className="stack">
      <div className="row">
        <span className={`live-dot ${state.phase === 'connected' ? 'live' : state.phase === 'error' ? 'error' : ''}`} role="status" data-testid="console-state">
          {state.phase === 'connected' ? 'Connected to serial console' : state.phase === 'connecting' ? 'Connecting…' : state.message ?? state.phase}
        </span>
        <span className="spacer" />
        <span className="small muted">Keys go to the guest while the terminal has focus.</span>
        {state.phase === 'closed' || state.phase === 'error' ? (
          <button type="button" className="btn small" onClick={() => setAttempt((a) => a + 1)}>
            Reconnect
          </button>
        ) : null}
      </div>
      <div ref={host} className="terminal" data-testid="console" aria-label={`Serial console of ${name}`} />
    </div>
  );
}
