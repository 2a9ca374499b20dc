'use client';
// A plain-text YAML editor with line numbers and problems marked at their lines: the
// textarea sits over a backdrop that highlights error lines, and the problem list moves
// the caret to the line when chosen. Tab inserts two spaces; Escape then Tab leaves.
import { KeyboardEvent, useImperativeHandle, useMemo, useRef, useState, forwardRef, UIEvent } from 'react';

import type { Problem } from '../lib/problems';

export type { Problem };

export interface YamlEditorHandle {
  goToLine(line: number): void;
}

interface Props {
  value: string;
  onChange?: (value: string) => void;
  problems?: Problem[];
  label: string;
  readOnly?: boolean;
  height?: string;
}

const LINE = 20;

export const YamlEditor = forwardRef<YamlEditorHandle, Props>(function YamlEditor({ value, onChange, problems = [], label, readOnly, height }, ref) {
  const area = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLDivElement>(null);
  const backdrop = useRef<HTMLDivElement>(null);
  const [tabTraps, setTabTraps] = useState(true);
  const lines = useMemo(() => value.split('\n'), [value]);
  const errorLines = useMemo(() => new Set(problems.map((p) => p.line)), [problems]);

  const goToLine = (line: number) => {
    const el = area.current;
    if (!el) return;
    const offset = lines.slice(0, Math.max(0, line - 1)).reduce((n, l) => n + l.length + 1, 0);
    el.focus();
    el.setSelectionRange(offset, offset + (lines[line - 1]?.length ?? 0));
    el.scrollTop = Math.max(0, (line - 4) * LINE);
  };
  useImperativeHandle(ref, () => ({ goToLine }));

  const onScroll = (e: UIEvent<HTMLTextAreaElement>) => {
    const { scrollTop, scrollLeft } = e.currentTarget;
    if (gutter.current) gutter.current.scrollTop = scrollTop;
    if (backdrop.current) {
      backdrop.current.scrollTop = scrollTop;
      backdrop.current.scrollLeft = scrollLeft;
    }
  };
  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Escape') {
      setTabTraps(false);
      return;
    }
    if (e.key !== 'Tab' || !tabTraps || readOnly || e.shiftKey) return;
    e.preventDefault();
    const el = e.currentTarget;
    const { selectionStart, selectionEnd } = el;
    const next = `${value.slice(0, selectionStart)}  ${value.slice(selectionEnd)}`;
    onChange?.(next);
    requestAnimationFrame(() => el.setSelectionRange(selectionStart + 2, selectionStart + 2));
  };

  return (
    <div className="stack">
      <div className="editor" style={height ? { height } : undefined}>
        <div className="editor-gutter" ref={gutter} aria-hidden="true">
          {lines.map((_, i) => (
            <div key={i} className={errorLines.has(i + 1) ? 'error' : undefined}>
              {i + 1}
            </div>
          ))}
          <div style={{ height: 200 }} />
        </div>
        <div className="editor-area">
          <div className="editor-backdrop" ref={backdrop} aria-hidden="true">
            {lines.map((l, i) => (
              <div key={i} className={errorLines.has(i + 1) ? 'error' : undefined}>
                {l || ' '}
              </div>
            ))}
            <div style={{ height: 200 }} />
          </div>
          <textarea
            ref={area}
            aria-label={label}
            aria-invalid={problems.length > 0}
            aria-describedby={problems.length ? 'editor-problems' : undefined}
            spellCheck={false}
            autoCapitalize="off"
            autoComplete="off"
            wrap="off"
            readOnly={readOnly}
            value={value}
            onChange={(e) => {
              setTabTraps(true);
              onChange?.(e.target.value);
            }}
            onScroll={onScroll}
            onKeyDown={onKey}
            onFocus={() => setTabTraps(true)}
          />
        </div>
      </div>
      {problems.length ? (
        <ul className="problems" id="editor-problems" aria-label="Problems">
          {problems.map((p, i) => (
            <li key={i}>
              <button type="button" onClick={() => goToLine(p.line)}>
                <span className="mono">line {p.line}</span>
                <span>{p.field ? `${p.field}: ` : ''}{p.message}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : !readOnly ? (
        <span className="small muted">
          <kbd>Tab</kbd> indents · <kbd>Esc</kbd> then <kbd>Tab</kbd> leaves the editor
        </span>
      ) : null}
    </div>
  );
});
