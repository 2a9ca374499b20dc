'use client';
// A virtualised, sortable table: only the visible rows exist in the DOM, so 10,000 Pods
// scroll smoothly. Keyboard: the table is one tab stop; ↑/↓/PgUp/PgDn/Home/End move the
// selection, Enter opens the selected row.
import Link from 'next/link';
import { KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Cell, Column, SortState } from '../lib/columns';
import type { Obj } from '../lib/objects';
import { Badge } from './ui';

export interface Row {
  key: string;
  obj: Obj;
  cells: Cell[];
}

export interface VirtualTableProps {
  label: string;
  columns: Column[];
  rows: Row[];
  sort?: SortState;
  onSort?: (sort: SortState) => void;
  onOpen?: (row: Row) => void;
  rowHeight?: number;
  height?: string;
  /** Size before the first measurement (tests have no layout). */
  initialRect?: { width: number; height: number };
  empty?: React.ReactNode;
}

export function VirtualTable({ label, columns, rows, sort, onSort, onOpen, rowHeight = 36, height = 'calc(100vh - 290px)', initialRect, empty }: VirtualTableProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(0);
  const id = useId();
  const template = columns.map((c) => c.width).join(' ');
  // Every row is its own grid: a fixed minimum width keeps the columns aligned across rows.
  const minWidth = tableMinWidth(columns);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => rowHeight, overscan: 12, initialRect, paddingStart: rowHeight, scrollPaddingStart: rowHeight });

  useEffect(() => {
    if (active >= rows.length) setActive(Math.max(0, rows.length - 1));
  }, [rows.length, active]);

  const move = (index: number) => {
    const next = Math.max(0, Math.min(rows.length - 1, index));
    setActive(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };
  const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / rowHeight) - 1);
  const onKey = (e: KeyboardEvent) => {
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(active + 1),
      j: () => move(active + 1),
      ArrowUp: () => move(active - 1),
      k: () => move(active - 1),
      PageDown: () => move(active + page),
      PageUp: () => move(active - page),
      Home: () => move(0),
      End: () => move(rows.length - 1),
      Enter: () => rows[active] && onOpen?.(rows[active]),
    };
    const action = keys[e.key];
    if (!action || (e.target as HTMLElement).tagName === 'BUTTON') return;
    e.preventDefault();
    action();
  };

  const toggleSort = (column: Column) => {
    if (!onSort) return;
    const direction = sort?.column === column.id && sort.direction === 'asc' ? 'desc' : 'asc';
    onSort({ column: column.id, direction });
  };

  return (
    <div className="vtable">
      <div
        ref={scrollRef}
        className="vtable-scroll"
        style={{ height }}
        role="grid"
        aria-label={label}
        aria-rowcount={rows.length + 1}
        aria-activedescendant={rows.length ? `${id}-r${active}` : undefined}
        tabIndex={0}
        onKeyDown={onKey}
      >
        <div className="vtable-row vtable-head" role="row" aria-rowindex={1} style={{ gridTemplateColumns: template, minWidth }}>
          {columns.map((c) => (
            <div key={c.id} role="columnheader" className={`cell${c.align === 'right' ? ' right' : ''}`} aria-sort={sort?.column === c.id ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'}>
              <button type="button" onClick={() => toggleSort(c)} title={`Sort by ${c.header}`}>
                {c.header}
                <span aria-hidden="true">{sort?.column === c.id ? (sort.direction === 'asc' ? '▲' : '▼') : ''}</span>
              </button>
            </div>
          ))}
        </div>
        {rows.length === 0 ? (
          empty
        ) : (
          <div className="vtable-body" role="rowgroup" style={{ height: virtualizer.getTotalSize() - rowHeight, position: 'relative', minWidth }}>
            {virtualizer.getVirtualItems().map((item) => {
              const row = rows[item.index];
              if (!row) return null;
              return (
                <div
                  key={row.key}
                  id={`${id}-r${item.index}`}
                  className="vtable-row"
                  role="row"
                  aria-rowindex={item.index + 2}
                  aria-selected={item.index === active}
                  data-key={row.key}
                  style={{ gridTemplateColumns: template, minWidth, transform: `translateY(${item.start - rowHeight}px)`, height: rowHeight }}
                  onClick={() => setActive(item.index)}
                  onDoubleClick={() => onOpen?.(row)}
                >
                  {row.cells.map((cell, i) => (
                    <div key={columns[i].id} role="gridcell" className={`cell${columns[i].align === 'right' ? ' right' : ''}`} title={cell.text}>
                      {renderCell(cell, i === 0)}
                    </div>
                  ))}
                </div>
              );
            })}
          </div>
        )}
      </div>
      <div className="vtable-foot">
        <span>
          {rows.length.toLocaleString()} {rows.length === 1 ? 'row' : 'rows'}
        </span>
        <span className="small">
          <kbd>↑</kbd> <kbd>↓</kbd> select · <kbd>Enter</kbd> open · <kbd>/</kbd> filter
        </span>
      </div>
    </div>
  );
}

/** The sum of the columns' minimum widths, gaps and padding, as CSS. */
export function tableMinWidth(columns: Pick<Column, 'width'>[]): string {
  const mins = columns.map((c) => /^minmax\(\s*([^,]+),/.exec(c.width)?.[1].trim() ?? c.width);
  return `calc(${[...mins, `${columns.length - 1} * var(--s3)`, '2 * var(--s3)'].join(' + ')})`;
}

function renderCell(cell: Cell, primary: boolean) {
  if (cell.tone && !primary) return <Badge tone={cell.tone}>{cell.text}</Badge>;
  if (cell.href)
    return (
      <Link href={cell.href} tabIndex={-1} style={primary ? { fontWeight: 600 } : undefined}>
        {cell.text}
      </Link>
    );
  return cell.text;
}
