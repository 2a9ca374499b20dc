'use client';
// A live list of one kind: namespace, label-selector and text filters, sortable columns,
// status colours, virtualised rows. Updates arrive through the watch; nothing polls.
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useKindList, useNow, useStored } from '../client/hooks';
import { columnsFor, matchesText, rowsOf, SortState, sortRows } from '../lib/columns';
import { detailHref, kindByPlural, sectionOf } from '../lib/kinds';
import { keyOf, nameOf, namespaceOf } from '../lib/objects';
import { PageHead } from './shell';
import { Empty, ErrorState, LiveIndicator } from './ui';
import { VirtualTable } from './virtual-table';

const DEFAULT_SORT: Record<string, SortState> = { events: { column: 'last-seen', direction: 'asc' } };

export function ListView({ plural }: { plural: string }) {
  const kind = kindByPlural(plural);
  const router = useRouter();
  const [namespace, setNamespace] = useStored('coxswain.namespace', '');
  const [labelDraft, setLabelDraft] = useState('');
  const [labelSelector, setLabelSelector] = useState('');
  const [text, setText] = useState('');
  const [wide, setWide] = useStored('coxswain.wide', '');
  const [sort, setSort] = useState<SortState>(DEFAULT_SORT[plural] ?? { column: 'name', direction: 'asc' });
  const filterRef = useRef<HTMLInputElement>(null);
  const now = useNow(5000);
  const namespaces = useKindList('namespaces');
  const state = useKindList(plural, { namespace: kind?.namespaced ? namespace : undefined, labelSelector });
  const columns = useMemo(() => columnsFor(plural, { wide: wide === 'on' }).filter((c) => !(c.id === 'namespace' && (!kind?.namespaced || namespace))), [plural, kind, namespace, wide]);

  const allRows = useMemo(() => rowsOf(state.items, columns, { now, plural }).map((r) => ({ ...r, key: keyOf(r.obj) })), [state.items, columns, now, plural]);
  const rows = useMemo(() => sortRows(allRows.filter((r) => matchesText(r, text)), columns, sort), [allRows, text, columns, sort]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (e.key === '/' && !['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) {
        e.preventDefault();
        filterRef.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  if (!kind) return <ErrorState title="Unknown resource" message={plural} />;
  const labelError = state.status === 'error' && labelSelector ? state.error : undefined;
  return (
    <>
      <PageHead title={kind.title} crumbs={<span>{sectionOf(kind)}</span>}>
        <LiveIndicator state={state} />
        {plural !== 'events' ? (
          <Link className="btn primary" href={`/apply?kind=${kind.kind}`}>
            Create
          </Link>
        ) : null}
      </PageHead>
      <div className="page-body">
        <div className="toolbar" role="search" aria-label={`Filter ${kind.title}`}>
          {kind.namespaced ? (
            <div className="field">
              <label htmlFor="ns">Namespace</label>
              <select id="ns" className="select" value={namespace} onChange={(e) => setNamespace(e.target.value)}>
                <option value="">All namespaces</option>
                {namespaces.items
                  .map(nameOf)
                  .sort()
                  .map((n) => (
                    <option key={n} value={n}>
                      {n}
                    </option>
                  ))}
                {namespace && !namespaces.items.some((n) => nameOf(n) === namespace) ? <option value={namespace}>{namespace}</option> : null}
              </select>
            </div>
          ) : null}
          <div className="field grow">
            <label htmlFor="labels">Label selector</label>
            <input
              id="labels"
              className="input mono"
              placeholder="app=web,tier!=db"
              value={labelDraft}
              aria-invalid={Boolean(labelError)}
              aria-describedby={labelError ? 'labels-error' : 'labels-hint'}
              onChange={(e) => setLabelDraft(e.target.value)}
              onKeyDown={(e) => e.key === 'Enter' && setLabelSelector(labelDraft)}
              onBlur={() => setLabelSelector(labelDraft)}
            />
            {labelError ? (
              <span id="labels-error" className="field-error">
                {labelError}
              </span>
            ) : (
              <span id="labels-hint" className="visually-hidden">
                Press Enter to apply; the API server filters by it.
              </span>
            )}
          </div>
          <div className="field grow">
            <label htmlFor="filter">Filter</label>
            <input id="filter" ref={filterRef} className="input" type="search" placeholder="Name, status, node, label… (press /)" value={text} onChange={(e) => setText(e.target.value)} />
          </div>
          <label className="field checkbox">
            <input type="checkbox" checked={wide === 'on'} onChange={(e) => setWide(e.target.checked ? 'on' : '')} />
            <span>Wide</span>
          </label>
        </div>
        <div className="card">
          {state.status === 'error' && !labelError ? (
            <ErrorState title={`Cannot list ${kind.title.toLowerCase()}`} message={state.error} />
          ) : (
            <VirtualTable
              label={kind.title}
              columns={columns}
              rows={rows}
              sort={sort}
              onSort={setSort}
              onOpen={(row) => router.push(detailHref(kind, namespaceOf(row.obj), nameOf(row.obj)))}
              empty={
                state.status === 'loading' ? (
                  <Empty title="Loading…" />
                ) : allRows.length ? (
                  <Empty title="Nothing matches the filter">Clear the filter to see all {allRows.length.toLocaleString()}.</Empty>
                ) : (
                  <Empty title={`No ${kind.title.toLowerCase()}${namespace && kind.namespaced ? ` in ${namespace}` : ''}`}>
                    <Link href={`/apply?kind=${kind.kind}`}>Apply a manifest</Link> to create one.
                  </Empty>
                )
              }
            />
          )}
        </div>
      </div>
    </>
  );
}
