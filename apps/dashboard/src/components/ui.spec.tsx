/** @jest-environment jsdom */
import { render, screen, within } from '@testing-library/react';
import { SimpleTable } from './ui';

describe('SimpleTable', () => {
  it('one header per column, one row per item, cells and classes from the columns', () => {
    const rows = [
      { name: 'a', count: 1 },
      { name: 'b', count: 2 },
    ];
    render(
      <SimpleTable
        rows={rows}
        rowKey={(r) => r.name}
        columns={[
          { header: 'Name', className: 'mono', cell: (r) => r.name },
          { header: 'Count', cell: (r) => <b>{r.count * 10}</b> },
        ]}
      />,
    );
    expect(screen.getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Name', 'Count']);
    const [, first, second] = screen.getAllByRole('row');
    expect(within(first).getAllByRole('cell').map((c) => c.textContent)).toEqual(['a', '10']);
    expect(within(second).getAllByRole('cell').map((c) => c.textContent)).toEqual(['b', '20']);
    expect(within(first).getAllByRole('cell')[0].className).toBe('mono');
  });

  it('no rows: only the header', () => {
    render(<SimpleTable rows={[]} rowKey={String} columns={[{ header: 'Only', cell: String }]} />);
    expect(screen.getAllByRole('row')).toHaveLength(1);
  });
});
