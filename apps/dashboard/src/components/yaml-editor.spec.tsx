/** @jest-environment jsdom */
import { fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { YamlEditor } from './yaml-editor';

function Harness({ initial }: { initial: string }) {
  const [value, setValue] = useState(initial);
  return <YamlEditor label="Manifest" value={value} onChange={setValue} problems={[{ line: 3, field: 'spec.replicas', message: 'Invalid value: -1' }]} />;
}

describe('YamlEditor', () => {
  it('marks problem lines in the gutter and lists them', () => {
    const { container } = render(<Harness initial={'a: 1\nspec:\n  replicas: -1\n'} />);
    const gutter = [...container.querySelectorAll('.editor-gutter div')].slice(0, 4);
    expect(gutter.map((d) => [d.textContent, d.className])).toEqual([['1', ''], ['2', ''], ['3', 'error'], ['4', '']]);
    expect(screen.getByRole('textbox', { name: 'Manifest' }).getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('list', { name: 'Problems' }).textContent).toBe('line 3spec.replicas: Invalid value: -1');
  });

  it('choosing a problem selects its line', () => {
    render(<Harness initial={'a: 1\nspec:\n  replicas: -1\n'} />);
    fireEvent.click(screen.getByRole('button', { name: /line 3/ }));
    const area = screen.getByRole('textbox', { name: 'Manifest' }) as HTMLTextAreaElement;
    expect(document.activeElement).toBe(area);
    expect(area.value.slice(area.selectionStart, area.selectionEnd)).toBe('  replicas: -1');
  });

  it('Tab indents; Escape lets Tab leave', () => {
    render(<Harness initial={'a: 1'} />);
    const area = screen.getByRole('textbox', { name: 'Manifest' }) as HTMLTextAreaElement;
    area.focus();
    area.setSelectionRange(0, 0);
    expect(fireEvent.keyDown(area, { key: 'Tab' })).toBe(false); // default prevented
    expect(area.value).toBe('  a: 1');
    fireEvent.keyDown(area, { key: 'Escape' });
    expect(fireEvent.keyDown(area, { key: 'Tab' })).toBe(true);
  });

  it('read-only view has no problems and no editing', () => {
    render(<YamlEditor label="YAML" value={'kind: Pod\n'} readOnly />);
    expect((screen.getByRole('textbox', { name: 'YAML' }) as HTMLTextAreaElement).readOnly).toBe(true);
    expect(screen.queryByRole('list', { name: 'Problems' })).toBeNull();
  });
});
