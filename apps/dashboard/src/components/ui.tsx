'use client';
// Small building blocks shared by every view: badges, cards, states, meters, tabs, dialogs, toasts,
// the plain tables of details and the overview.
import { createContext, CSSProperties, KeyboardEvent, ReactNode, useCallback, useContext, useEffect, useId, useRef, useState } from 'react';
import type { Tone } from '../lib/status';
import { toneOf } from '../lib/status';
import type { ListState } from '../client/watch-hub';

export function Badge({ tone, children, plain }: { tone?: Tone; children: ReactNode; plain?: boolean }) {
  return <span className={`badge tone-${tone ?? 'muted'}${plain ? ' plain' : ''}`}>{children}</span>;
}

export function StatusBadge({ status, tone }: { status: string; tone?: Tone }) {
  return <Badge tone={tone ?? toneOf(status)}>{status}</Badge>;
}

export function LiveIndicator({ state }: { state: Pick<ListState, 'status' | 'error'> }) {
  const label = state.status === 'live' ? 'Live' : state.status === 'reconnecting' ? 'Reconnecting…' : state.status === 'loading' ? 'Loading…' : 'Error';
  return (
    <span className={`live-dot ${state.status}`} role="status" aria-live="polite" title={state.error}>
      {label}
    </span>
  );
}

/** A titled card: the section is named after its title (or `label`), `aside` sits in the head beside the title. */
export function Card({ title, label, aside, bodyClass, style, children }: { title: string; label?: string; aside?: ReactNode; bodyClass?: 'stack' | 'flush'; style?: CSSProperties; children: ReactNode }) {
  return (
    <section className="card" aria-label={label ?? title} style={style}>
      <div className="card-head">
        <h2>{title}</h2>
        {aside}
      </div>
      <div className={bodyClass ? `card-body ${bodyClass}` : 'card-body'}>{children}</div>
    </section>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty" role="status">
      <strong>{title}</strong>
      {children ? <div>{children}</div> : null}
    </div>
  );
}

export function ErrorState({ title = 'Something went wrong', message, children }: { title?: string; message?: string; children?: ReactNode }) {
  return (
    <div className="error-state" role="alert">
      <strong>{title}</strong>
      {message ? <div className="mono small">{message}</div> : null}
      {children}
    </div>
  );
}

/** One column of a SimpleTable: its header and what a row shows under it. */
export interface SimpleColumn<T> {
  header: string;
  /** Class of the cell (`mono`, `small`…). */
  className?: string;
  cell(row: T): ReactNode;
}

/** The plain table of details and the overview (events, conditions): a header row, one row per item. */
export function SimpleTable<T>({ columns, rows, rowKey }: { columns: SimpleColumn<T>[]; rows: readonly T[]; rowKey: (row: T) => string }) {
  return (
    <table className="simple">
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c.header} scope="col">
              {c.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)}>
            {columns.map((c) => (
              <td key={c.header} className={c.className}>
                {c.cell(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Skeleton({ rows = 3 }: { rows?: number }) {
  return (
    <div className="stack" aria-busy="true" aria-label="Loading">
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="skeleton" style={{ width: `${90 - i * 15}%` }} />
      ))}
    </div>
  );
}

/** A capacity bar: requested (allocated) share, with live usage drawn over it when known. */
export function Meter({ label, allocated, usage, capacity, format }: { label: string; allocated: number; usage?: number; capacity: number; format: (n: number) => string }) {
  const pct = (n: number) => (capacity > 0 ? Math.min(100, (n / capacity) * 100) : 0);
  const allocPct = pct(allocated);
  const usagePct = usage === undefined ? undefined : pct(usage);
  return (
    <div className="meter">
      <div className="meter-head">
        <span>{label}</span>
        <span>
          <strong>{format(allocated)}</strong> requested{usage !== undefined ? <> · <strong>{format(usage)}</strong> used</> : null} / {format(capacity)}
        </span>
      </div>
      <div className={`bar${allocated > capacity ? ' over' : ''}`} role="meter" aria-label={`${label} requested`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(allocPct)} aria-valuetext={`${Math.round(allocPct)}% requested${usagePct !== undefined ? `, ${Math.round(usagePct)}% used` : ''}`}>
        <span className="alloc" style={{ width: `${allocPct}%` }} />
        {usagePct !== undefined ? <span className="usage" style={{ width: `${usagePct}%` }} /> : null}
      </div>
    </div>
  );
}

export function Labels({ labels }: { labels?: Record<string, string> }) {
  const entries = Object.entries(labels ?? {});
  if (!entries.length) return <span className="muted">none</span>;
  return (
    <span className="labels">
      {entries.map(([k, v]) => (
        <span key={k} className="label-chip">
          {k}={v}
        </span>
      ))}
    </span>
  );
}

export interface TabSpec {
  id: string;
  label: string;
}

/** WAI-ARIA tabs: arrow keys move between tabs, Home/End jump. */
export function Tabs({ tabs, active, onChange, label }: { tabs: TabSpec[]; active: string; onChange: (id: string) => void; label: string }) {
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  const onKey = (e: KeyboardEvent) => {
    const index = tabs.findIndex((t) => t.id === active);
    let next = -1;
    if (e.key === 'ArrowRight') next = (index + 1) % tabs.length;
    else if (e.key === 'ArrowLeft') next = (index - 1 + tabs.length) % tabs.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = tabs.length - 1;
    if (next < 0) return;
    e.preventDefault();
    onChange(tabs[next].id);
    refs.current[tabs[next].id]?.focus();
  };
  return (
    <div className="tabs" role="tablist" aria-label={label} onKeyDown={onKey}>
      {tabs.map((t) => (
        <button key={t.id} ref={(el) => { refs.current[t.id] = el; }} className="tab" role="tab" id={`tab-${t.id}`} aria-selected={t.id === active} aria-controls={`panel-${t.id}`} tabIndex={t.id === active ? 0 : -1} onClick={() => onChange(t.id)}>
          {t.label}
        </button>
      ))}
    </div>
  );
}

/** A modal dialog: focus moves in and is trapped, Escape closes, focus returns after. */
export function Dialog({ title, children, footer, onClose, wide }: { title: string; children: ReactNode; footer?: ReactNode; onClose: () => void; wide?: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const first = ref.current?.querySelector<HTMLElement>('[autofocus], input, textarea, select, button:not([disabled])');
    first?.focus();
    return () => previous?.focus?.();
  }, []);
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      onClose();
      return;
    }
    if (e.key !== 'Tab' || !ref.current) return;
    const focusable = [...ref.current.querySelectorAll<HTMLElement>('a[href], button:not([disabled]), input:not([disabled]), textarea, select, [tabindex]:not([tabindex="-1"])')];
    if (!focusable.length) return;
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };
  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div ref={ref} className={`dialog${wide ? ' wide' : ''}`} role="dialog" aria-modal="true" aria-labelledby={titleId} onKeyDown={onKey}>
        <div className="dialog-head">
          <h2 id={titleId}>{title}</h2>
        </div>
        <div className="dialog-body">{children}</div>
        {footer ? <div className="dialog-foot">{footer}</div> : null}
      </div>
    </div>
  );
}

interface Toast {
  id: number;
  message: string;
  error?: boolean;
}

const ToastContext = createContext<(message: string, error?: boolean) => void>(() => {});

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const push = useCallback((message: string, error?: boolean) => {
    const id = next.current++;
    setToasts((t) => [...t.slice(-3), { id, message, error }]);
    setTimeout(() => setToasts((t) => t.filter((x) => x.id !== id)), error ? 9000 : 4500);
  }, []);
  return (
    <ToastContext.Provider value={push}>
      {children}
      <div className="toasts" role="status" aria-live="polite">
        {toasts.map((t) => (
          <div key={t.id} className={`toast${t.error ? ' error' : ''}`}>
            {t.message}
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export const useToast = () => useContext(ToastContext);
