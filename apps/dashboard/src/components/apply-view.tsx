'use client';
// Apply YAML: paste or upload one or more manifests, preview a server dry run (diff and
// validation errors at their lines), then apply. Objects can be watched turning Running.
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { ChangeEvent, Suspense, useMemo, useRef, useState } from 'react';
import { runApply, DocOutcome } from '../client/apply';
import { useKindList, useStored } from '../client/hooks';
import { hunks, diffStats } from '../lib/diff';
import { detailHref, kindByName } from '../lib/kinds';
import { nameOf, namespaceOf } from '../lib/objects';
import { TEMPLATES } from '../lib/templates';
import { parseYamlDocs } from '../lib/yaml-docs';
import { PageHead } from './shell';
import { Badge, useToast } from './ui';
import { Problem, YamlEditor, YamlEditorHandle } from './yaml-editor';

function Diff({ outcome }: { outcome: DocOutcome }) {
  if (!outcome.diff) return null;
  const parts = hunks(outcome.diff);
  if (!parts.length) return <p className="small muted">No changes.</p>;
  return (
    <div className="diff" role="region" aria-label={`Changes to ${outcome.label}`}>
      {parts.map((h, i) => (
        <div key={i}>
          {i > 0 ? <div className="sep">⋯</div> : null}
          {h.lines.map((l, j) => (
            <div key={j} className={l.type === 'same' ? undefined : l.type}>
              {l.type === 'add' ? '+ ' : l.type === 'del' ? '- ' : '  '}
              {l.text}
            </div>
          ))}
        </div>
      ))}
    </div>
  );
}

const verbTone = (verb?: string) => (verb === 'created' ? 'ok' : verb === 'configured' ? 'progress' : 'muted');

function ApplyInner() {
  const params = useSearchParams();
  const [text, setText] = useState(() => TEMPLATES[params.get('kind') ?? ''] ?? '');
  const [namespace, setNamespace] = useStored('coxswain.apply.namespace', 'default');
  const [preview, setPreview] = useState<DocOutcome[]>();
  const [applied, setApplied] = useState<DocOutcome[]>();
  const [busy, setBusy] = useState(false);
  const editor = useRef<YamlEditorHandle>(null);
  const toast = useToast();
  const namespaces = useKindList('namespaces');
  const docs = useMemo(() => parseYamlDocs(text), [text]);
  const parseProblems: Problem[] = docs.flatMap((d) => d.errors);
  const outcomes = applied ?? preview;
  const apiProblems: Problem[] = (outcomes ?? []).flatMap((o) => o.problems);
  const problems = parseProblems.length ? parseProblems : apiProblems;
  const previewOk = Boolean(preview && preview.every((o) => o.problems.length === 0) && preview.length > 0);

  const change = (value: string) => {
    setText(value);
    setPreview(undefined);
    setApplied(undefined);
  };
  const upload = async (e: ChangeEvent<HTMLInputElement>) => {
    const files = [...(e.target.files ?? [])];
    const texts = await Promise.all(files.map((f) => f.text()));
    change(texts.map((t) => t.replace(/\n*$/, '\n')).join('---\n'));
    e.target.value = '';
  };
  const run = async (dryRun: boolean) => {
    setBusy(true);
    try {
      const result = await runApply(docs, namespace || 'default', dryRun);
      if (dryRun) {
        setPreview(result);
        setApplied(undefined);
      } else {
        setApplied(result);
        const failed = result.filter((r) => r.problems.length);
        if (failed.length) toast(`${failed.length} of ${result.length} failed to apply`, true);
        else toast(result.map((r) => `${r.label} ${r.verb}`).join(', '));
      }
      const firstProblem = result.flatMap((r) => r.problems)[0];
      if (firstProblem) editor.current?.goToLine(firstProblem.line);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHead title="Apply YAML" crumbs={<span>Actions</span>}>
        <label className="btn">
          Upload…
          <input type="file" accept=".yaml,.yml,.json,text/yaml,application/json" multiple onChange={upload} className="visually-hidden" />
        </label>
        <button type="button" className="btn" disabled={busy || !docs.length || parseProblems.length > 0} onClick={() => run(true)}>
          Preview changes
        </button>
        <button type="button" className="btn primary" disabled={busy || !previewOk} onClick={() => run(false)} title={previewOk ? undefined : 'Preview first: the dry run must pass'}>
          Apply{docs.length > 1 ? ` ${docs.length} objects` : ''}
        </button>
      </PageHead>
      <div className="page-body">
        <div className="toolbar">
          <div className="field">
            <label htmlFor="apply-ns">Default namespace</label>
            <select id="apply-ns" className="select" value={namespace} onChange={(e) => { setNamespace(e.target.value); setPreview(undefined); }}>
              {[...new Set(['default', ...namespaces.items.map(nameOf)])].sort().map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </div>
          <span className="small muted" style={{ paddingBottom: 6 }}>
            {docs.length} document{docs.length === 1 ? '' : 's'} · separate several with <code>---</code> · YAML 1.1 like kubectl
          </span>
        </div>
        <YamlEditor ref={editor} label="Manifest YAML" value={text} onChange={change} problems={problems} />
        {outcomes ? (
          <section className="card" aria-label={applied ? 'Apply result' : 'Dry-run preview'}>
            <div className="card-head">
              <h2>{applied ? 'Applied' : 'Dry run'}</h2>
              <span className="small muted">{applied ? 'Changes are live; lists update as they happen.' : 'Nothing is saved until you apply.'}</span>
            </div>
            <div className="card-body stack">
              {outcomes.map((o) => {
                const obj = o.result;
                const kind = obj ? kindByName(obj.kind, obj.apiVersion) : undefined;
                const stats = o.diff ? diffStats(o.diff) : undefined;
                return (
                  <div key={o.index} className="stack" data-outcome={o.label}>
                    <div className="row">
                      <strong className="mono">{o.label}</strong>
                      {o.problems.length ? <Badge tone="error">invalid</Badge> : <Badge tone={verbTone(o.verb)}>{applied ? o.verb : `will be ${o.verb}`}</Badge>}
                      {stats && !o.problems.length ? (
                        <span className="small muted">
                          +{stats.added} −{stats.removed}
                        </span>
                      ) : null}
                      <span className="spacer" />
                      {applied && obj && kind && !o.problems.length ? <Link href={detailHref(kind, namespaceOf(obj), nameOf(obj))}>Open →</Link> : null}
                    </div>
                    {o.problems.length ? (
                      <div className="notice error" role="alert">
                        {o.problems.map((p, i) => (
                          <div key={i}>
                            line {p.line}: {p.field ? `${p.field}: ` : ''}
                            {p.message}
                          </div>
                        ))}
                      </div>
                    ) : !applied ? (
                      <Diff outcome={o} />
                    ) : null}
                  </div>
                );
              })}
            </div>
          </section>
        ) : null}
      </div>
    </>
  );
}

export function ApplyView() {
  return (
    <Suspense>
      <ApplyInner />
    </Suspense>
  );
}
