/**
 * lsmcli's two text layouts. Column mode: padded columns joined by " | " (or the -t separator), a header and a
 * dashed line as wide as the table; a cell with several values continues on extra rows whose other cells are
 * blank. Script mode (-s): one `Key | Value` block per object. The widths and separator lines follow lsm's
 * lsmcli (tools/lsmcli/data_display.py) exactly, since scripts cut its output by column.
 */

/** One cell: a single value, or several values printed one per row. */
export type Cell = string | readonly string[];

export interface ColumnStyle {
  /** Joins columns: " | " by default, the -t separator in terse mode. */
  separator: string;
  /** Print the header row and the dashed line under it. */
  header: boolean;
}

// Control characters in names come from the array, not from us: printed raw they could move the cursor or
// rewrite the terminal title, and a newline would forge a row. Show them escaped instead.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

// eslint-disable-next-line no-control-regex
const HAS_CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** `s` with control characters shown as `\xNN`. */
export function printable(s: string): string {
  if (!HAS_CONTROL.test(s)) return s;
  return s.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

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
  // At least one character wide, as lsm's: a column that is empty in every row (pool Info with -t) still prints
  // a blank between its separators (`OK, ,sim-01`).
  const widths = headers.map((h, i) => {
    let w = style.header ? Math.max(1, h.length) : 1;
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
 * Script mode, as lsm's: one block per object with one `Key | Value` row per property, every block as wide as
 * the widest (keys padded to the longest key, values to the longest value; of a list, lsm measures its first
 * item), one dashed line before each block and one after the last. A list continues on rows with an empty key;
 * an empty list prints no row at all.
 */
export function renderScript(objects: readonly (readonly (readonly [string, Cell])[])[], separator: string): string {
  const blocks = objects.map((pairs) => pairs.map(([k, v]) => [printable(k), linesOf(v)] as const));
  let keyWidth = 1;
  let valueWidth = 1;
  for (const block of blocks) {
    for (const [key, lines] of block) {
      keyWidth = Math.max(keyWidth, key.length);
      if (lines.length > 0) valueWidth = Math.max(valueWidth, (lines[0] as string).length);
    }
  }
  const frame = `${'-'.repeat(keyWidth + separator.length + valueWidth)}\n`;
  const blank = ' '.repeat(keyWidth);
  let out = '';
  for (const block of blocks) {
    out += frame;
    for (const [key, lines] of block) {
      lines.forEach((line, i) => {
        out += `${i === 0 ? key.padEnd(keyWidth) : blank}${separator}${line.padEnd(valueWidth)}\n`;
      });
    }
  }
  return blocks.length ? out + frame : '';
}
