/** @jest-environment jsdom */
import { fireEvent, render, screen, within } from '@testing-library/react';
import { installBrowserStubs } from '../client/testing-react';
import { columnsFor, rowsOf } from '../lib/columns';
import { tableMinWidth, VirtualTable } from './virtual-table';

jest.mock('next/navigation', () => ({ useRouter: () => ({ push: jest.fn(), replace: jest.fn(), prefetch: jest.fn() }) }));
installBrowserStubs();

const columns = columnsFor('pods');
const pods = Array.from({ length: 10_000 }, (_, i) => ({ metadata: { name: `pod-${String(i).padStart(5, '0')}`, namespace: 'load', uid: `u${i}` }, spec: { nodeName: `node-${i % 1000}`, containers: [{}] }, status: { phase: i % 7 ? 'Running' : 'Pending' } }));
const rows = rowsOf(pods, columns, { now: 0, plural: 'pods' }).map((r) => ({ ...r, key: r.obj.metadata.name }));

describe('VirtualTable', () => {
  it('renders only the visible window of 10,000 rows', () => {
    render(<VirtualTable label="Pods" columns={columns} rows={rows} initialRect={{ width: 1200, height: 720 }} />);
    const grid = screen.getByRole('grid', { name: 'Pods' });
    expect(grid.getAttribute('aria-rowcount')).toBe('10001');
    const rendered = within(grid).getAllByRole('row').length - 1;
    expect(rendered).toBeGreaterThan(10);
    expect(rendered).toBeLessThan(60);
    expect(screen.getByText('10,000 rows')).toBeTruthy();
    expect(within(grid).getByText('pod-00000')).toBeTruthy();
  });

  it('header buttons sort, announcing the direction', () => {
    const onSort = jest.fn();
    render(<VirtualTable label="Pods" columns={columns} rows={rows.slice(0, 5)} sort={{ column: 'name', direction: 'asc' }} onSort={onSort} initialRect={{ width: 1200, height: 400 }} />);
    expect(screen.getByRole('columnheader', { name: 'Name' }).getAttribute('aria-sort')).toBe('ascending');
    fireEvent.click(screen.getByRole('button', { name: 'Name' }));
    expect(onSort).toHaveBeenLastCalledWith({ column: 'name', direction: 'desc' });
    fireEvent.click(screen.getByRole('button', { name: 'Status' }));
    expect(onSort).toHaveBeenLastCalledWith({ column: 'status', direction: 'asc' });
  });

  it('arrow keys move the selection and Enter opens it', () => {
    const onOpen = jest.fn();
    render(<VirtualTable label="Pods" columns={columns} rows={rows.slice(0, 20)} onOpen={onOpen} initialRect={{ width: 1200, height: 720 }} />);
    const grid = screen.getByRole('grid');
    grid.focus();
    fireEvent.keyDown(grid, { key: 'ArrowDown' });
    fireEvent.keyDown(grid, { key: 'ArrowDown' });
    fireEvent.keyDown(grid, { key: 'ArrowUp' });
    const selected = within(grid).getAllByRole('row').find((r) => r.getAttribute('aria-selected') === 'true');
    expect(selected?.getAttribute('data-key')).toBe('pod-00001');
    expect(grid.getAttribute('aria-activedescendant')).toBe(selected?.id);
    fireEvent.keyDown(grid, { key: 'Enter' });
    expect(onOpen).toHaveBeenCalledWith(expect.objectContaining({ key: 'pod-00001' }));
    fireEvent.keyDown(grid, { key: 'End' });
    fireEvent.keyDown(grid, { key: 'Enter' });
    expect(onOpen).toHaveBeenLastCalledWith(expect.objectContaining({ key: 'pod-00019' }));
  });

  it('gives header and rows one minimum width so columns line up', () => {
    expect(tableMinWidth([{ width: 'minmax(12rem, 2fr)' }, { width: '5rem' }, { width: 'minmax(8rem,1fr)' }])).toBe('calc(12rem + 5rem + 8rem + 2 * var(--s3) + 2 * var(--s3))');
  });

  it('shows the empty state when there are no rows', () => {
    render(<VirtualTable label="Pods" columns={columns} rows={[]} empty={<p>No pods here</p>} />);
    expect(screen.getByText('No pods here')).toBeTruthy();
  });
});
