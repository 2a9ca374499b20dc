// A port of Go's text/tabwriter (with liggitt/tabwriter's RememberWidths, which kubectl uses)
// so coxctl's columns line up exactly like kubectl's. Cells are tab-terminated; the text
// after a line's last tab is not part of any column and is never padded.

export interface TabWriterOptions {
  /** Minimal cell width, padding included. */
  minWidth: number;
  /** Added to the widest cell of a column. */
  padding: number;
  /** Keep column widths across flushes (kubectl get -w: rows never jump left). */
  rememberWidths?: boolean;
}

/** `kubectl get` tables (printers.GetNewTabWriter). */
export const TABLE_WRITER: TabWriterOptions = { minWidth: 6, padding: 3, rememberWidths: true };
/** `kubectl describe` (tabwriter.NewWriter(out, 0, 8, 2, ' ', 0)). */
export const DESCRIBE_WRITER: TabWriterOptions = { minWidth: 0, padding: 2 };

const cellWidth = (text: string): number => {
  let n = 0;
  for (const _ of text) n++;
  return n;
};

export class TabWriter {
  private lines: string[][] = [];
  private partial = '';
  private widths: number[] = [];
  private remembered: number[] = [];

  constructor(private readonly options: TabWriterOptions) {}

  /** Buffers text; complete lines are formatted at flush(). */
  write(text: string): void {
    const all = this.partial + text;
    const parts = all.split('\n');
    this.partial = parts.pop()!;
    for (const line of parts) this.lines.push(line.split('\t'));
  }

  /** Formats and returns everything buffered (a trailing partial line included). */
  flush(): string {
    if (this.partial !== '') {
      this.lines.push(this.partial.split('\t'));
      this.partial = '';
      const out = this.format();
      return out.slice(0, -1);
    }
    return this.format();
  }

  private format(): string {
    const out: string[] = [];
    this.widths = [];
    this.formatBlock(out, 0, this.lines.length);
    this.lines = [];
    return out.join('');
  }

  /** Go's Writer.format: recursive over column blocks (runs of lines that have a cell in this column). */
  private formatBlock(out: string[], line0: number, line1: number): void {
    const column = this.widths.length;
    for (let current = line0; current < line1; current++) {
      if (column >= this.lines[current].length - 1) continue;
      this.writeLines(out, line0, current);
      line0 = current;
      let width = this.options.minWidth;
      for (; current < line1; current++) {
        const line = this.lines[current];
        if (column >= line.length - 1) break;
        width = Math.max(width, cellWidth(line[column]) + this.options.padding);
      }
      if (this.options.rememberWidths) {
        width = Math.max(width, this.remembered[column] ?? 0);
        this.remembered[column] = width;
      }
      this.widths.push(width);
      this.formatBlock(out, line0, current);
      this.widths.pop();
      line0 = current;
      current--;
    }
    this.writeLines(out, line0, line1);
  }

  private writeLines(out: string[], line0: number, line1: number): void {
    for (let i = line0; i < line1; i++) {
      const line = this.lines[i];
      let text = '';
      for (let j = 0; j < line.length; j++) {
        const cell = line[j];
        text += cell;
        if (j < this.widths.length) text += ' '.repeat(Math.max(0, this.widths[j] - cellWidth(cell)));
      }
      out.push(`${text}\n`);
    }
  }
}

/** Formats rows of cells in one go (cells must not contain tabs or newlines). */
export function formatColumns(rows: string[][], options: TabWriterOptions = TABLE_WRITER): string {
  const w = new TabWriter({ ...options, rememberWidths: false });
  for (const row of rows) w.write(`${row.join('\t')}\n`);
  return w.flush();
}
