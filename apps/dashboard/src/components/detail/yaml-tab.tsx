'use client';
// The object as YAML: read live, or edit and save (PUT with the resourceVersion read, so a
// concurrent change is a conflict rather than lost). Validation errors show at the field.
// A Secret's values stay masked until revealed (editing starts from the real values).
import { useMemo, useRef, useState } from 'react';
import { ApiError, send } from '../../client/api';
import { replace } from '../../lib/actions';
import { kindByPlural } from '../../lib/kinds';
import { maskSecret, Obj } from '../../lib/objects';
import { Problem, problemsFrom } from '../../lib/problems';
import { parseYamlDocs, toYaml } from '../../lib/yaml-docs';
import { useToast } from '../ui';
import { YamlEditor, YamlEditorHandle } from '../yaml-editor';

export function YamlTab({ plural, obj }: { plural: string; obj: Obj }) {
  const [draft, setDraft] = useState<string>();
  const [problems, setProblems] = useState<Problem[]>([]);
  const [saving, setSaving] = useState(false);
  const editor = useRef<YamlEditorHandle>(null);
  const toast = useToast();
  const [revealed, setRevealed] = useState(false);
  const masked = plural === 'secrets' && !revealed;
  const live = useMemo(() => toYaml(masked ? maskSecret(obj) : obj), [obj, masked]);
  const editing = draft !== undefined;
  const docs = useMemo(() => (editing ? parseYamlDocs(draft) : []), [draft, editing]);
  const parseProblems = docs.flatMap((d) => d.errors);
  const changedMeanwhile = editing && draft !== undefined && obj.metadata?.resourceVersion !== (docs[0]?.object?.metadata?.resourceVersion ?? obj.metadata?.resourceVersion);

  const save = async () => {
    const doc = docs[0];
    if (!doc?.object || docs.length !== 1) {
      setProblems([{ line: 1, message: 'expected exactly one YAML document' }]);
      return;
    }
    setSaving(true);
    try {
      const request = replace(kindByPlural(plural)!, doc.object);
      await send(request);
      toast(request.summary);
      setDraft(undefined);
      setProblems([]);
    } catch (error) {
      const e = error instanceof ApiError ? error : new ApiError(0, (error as Error).message);
      const found = problemsFrom(e, doc.lineOf, doc.line);
      setProblems(found);
      editor.current?.goToLine(found[0].line);
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="stack">
      <div className="row">
        {editing ? (
          <>
            <button type="button" className="btn primary" onClick={save} disabled={saving || parseProblems.length > 0}>
              {saving ? 'Saving…' : 'Save'}
            </button>
            <button type="button" className="btn" onClick={() => { setDraft(undefined); setProblems([]); }}>
              Cancel
            </button>
            {changedMeanwhile ? <span className="small tone-warn">The object changed since you started editing; saving will conflict.</span> : null}
          </>
        ) : (
          <>
            <button type="button" className="btn" onClick={() => setDraft(toYaml(obj))}>
              Edit
            </button>
            {plural === 'secrets' ? (
              <button type="button" className="btn" onClick={() => setRevealed(!revealed)} aria-pressed={revealed}>
                {revealed ? 'Hide values' : 'Reveal values'}
              </button>
            ) : null}
            <span className="small muted">Live: this view follows changes.</span>
          </>
        )}
      </div>
      <YamlEditor ref={editor} label={editing ? 'Edit YAML' : 'YAML'} value={editing ? draft : live} onChange={editing ? (v) => { setDraft(v); setProblems([]); } : undefined} problems={editing ? (parseProblems.length ? parseProblems : problems) : []} readOnly={!editing} />
    </div>
  );
}
