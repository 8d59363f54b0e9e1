/**
 * lsmcli's two text layouts. Column mode: padded columns joined by " | " (or the -t separator), a header and a
 * dashed line as wide as the table; a cell with several values continues on extra rows whose other cells are
 * blank. Script mode (-s): one framed `Key | Value` block per object.
 */
import { displayText } from '@openlsm/core';

/** One cell: a single value, or several values printed one per row. */
export type Cell = string | readonly string[];

export interface ColumnStyle {
  /** Joins columns: " | " by default, the -t separator in terse mode. */
  separator: string;
  /** Print the header row and the dashed line under it. */
  header: boolean;
}

/**
 * Names come from the array, not from us: printed raw, control characters could move the cursor or rewrite the
 * terminal title, a newline would forge a row, and bidi or invisible characters would show a name other than
 * the stored one. `displayText` (core) shows them escaped (`\x1b`, `\u202e`).
 */
export const printable = displayText;

function linesOf(cell: Cell): readonly string[] {
  return typeof cell === 'string' ? [printable(cell)] : cell.map(printable);
}

/** Renders rows as padded columns; returns the text with a trailing newline ('' when there is nothing). */
export function renderColumns(headers: readonly string[], rows: readonly (readonly Cell[])[], style: ColumnStyle): string {
  const physical: string[][] = [];
  for (const row of rows) {
    const cells = row.map(linesOf);
    const height = Math.max(1, ...cells.map((c) => c.length));
    for (let i = 0; i < height; i++) physical.push(cells.map((c) => c[i] ?? ''));
  }
  if (physical.length === 0 && !style.header) return '';
  const widths = headers.map((h, i) => {
    let w = style.header ? h.length : 0;
    for (const line of physical) w = Math.max(w, (line[i] ?? '').length);
    return w;
  });
  const join = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(style.separator);
  const out: string[] = [];
  if (style.header) {
    const head = join(headers);
    out.push(head, '-'.repeat(head.length));
  }
  for (const line of physical) out.push(join(line));
  return out.length ? `${out.join('\n')}\n` : '';
}

/**
 * Script mode: for each object a block framed by dashed lines with one `Key | Value` row per property;
 * multi-value properties continue on rows with an empty key.
 */
export function renderScript(objects: readonly (readonly (readonly [string, Cell])[])[], separator: string): string {
  let out = '';
  for (const pairs of objects) {
    const body = renderColumns(['', ''], pairs.map(([k, v]) => [k, v]), { separator, header: false });
    const width = Math.max(0, ...body.split('\n').map((l) => l.length));
    const frame = `${'-'.repeat(width)}\n`;
    out += frame + body + frame;
  }
  return out;
}
