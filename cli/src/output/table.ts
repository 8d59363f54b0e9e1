/**
 * lsmcli's two text layouts. Column mode: padded columns joined by " | " (or the -t separator), a header and a
 * dashed line as wide as the table; a cell with several values continues on extra rows whose other cells are
 * blank. Script mode (-s): one `Key | Value` block per object. The widths and separator lines follow lsm's
 * lsmcli (tools/lsmcli/data_display.py) exactly, since scripts cut its output by column.
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

/** A cell made safe to print: a string, or the lines of a multi-value cell. */
function escaped(cell: Cell): string | readonly string[] {
  return typeof cell === 'string' ? printable(cell) : cell.map(printable);
}

/** Every cell made printable, in one flat array: row `r`, column `c` at `r * n + c`. */
function escapeAll(rows: readonly (readonly Cell[])[], n: number): (string | readonly string[])[] {
  const cells: (string | readonly string[])[] = new Array(rows.length * n);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as readonly Cell[];
    for (let c = 0; c < n; c++) cells[r * n + c] = escaped(row[c] ?? '');
  }
  return cells;
}

/** `n` blanks; one string is cut for every padding (a listing pads thousands of cells). */
let blanks = '';
function pad(n: number): string {
  if (n <= 0) return '';
  if (blanks.length < n) blanks = ' '.repeat(Math.max(n, 2 * blanks.length, 64));
  return blanks.slice(0, n);
}

// Both layouts are on the path of every listing, and they run once per process: before the JIT has seen them.
// They are written for that, one pass to measure and one to write, with no array per cell or per line.

/** Renders rows as padded columns; returns the text with a trailing newline ('' when there is nothing). */
export function renderColumns(headers: readonly string[], rows: readonly (readonly Cell[])[], style: ColumnStyle): string {
  if (rows.length === 0 && !style.header) return '';
  const n = headers.length;
  // At least one character wide, as lsm's: a column that is empty in every row (pool Info with -t) still prints
  // a blank between its separators (`OK, ,sim-01`).
  const widths = headers.map((h) => (style.header ? Math.max(1, h.length) : 1));
  const cells = escapeAll(rows, n);
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i] as string | readonly string[];
    const c = i % n;
    if (typeof cell === 'string') {
      if (cell.length > (widths[c] as number)) widths[c] = cell.length;
    } else {
      for (const line of cell) if (line.length > (widths[c] as number)) widths[c] = line.length;
    }
  }
  const sep = style.separator;
  let out = '';
  if (style.header) {
    let head = '';
    for (let c = 0; c < n; c++) {
      const h = headers[c] as string;
      head += c === 0 ? h : sep + h;
      head += pad((widths[c] as number) - h.length);
    }
    out = `${head}\n${'-'.repeat(head.length)}\n`;
  }
  for (let r = 0; r < rows.length; r++) {
    // A multi-value cell continues on extra lines whose other cells are blank.
    let height = 1;
    for (let c = 0; c < n; c++) {
      const cell = cells[r * n + c];
      if (typeof cell !== 'string' && cell !== undefined && cell.length > height) height = cell.length;
    }
    for (let i = 0; i < height; i++) {
      for (let c = 0; c < n; c++) {
        const cell = cells[r * n + c];
        const text = typeof cell === 'string' ? (i === 0 ? cell : '') : (cell?.[i] ?? '');
        if (c > 0) out += sep;
        out += text;
        out += pad((widths[c] as number) - text.length);
      }
      out += '\n';
    }
  }
  return out;
}

/**
 * Script mode, as lsm's: one block per object (row) with one `Key | Value` line per property (header), every
 * block as wide as the widest (keys padded to the longest key, values to the longest value; of a list, lsm
 * measures its first item), one dashed line before each block and one after the last. A list continues on lines
 * with an empty key; an empty list prints no line at all.
 */
export function renderScript(headers: readonly string[], rows: readonly (readonly Cell[])[], separator: string): string {
  if (rows.length === 0) return '';
  const n = headers.length;
  const keys = headers.map(printable);
  let keyWidth = 1;
  for (const k of keys) if (k.length > keyWidth) keyWidth = k.length;
  let valueWidth = 1;
  const cells = escapeAll(rows, n);
  for (const cell of cells) {
    const first = typeof cell === 'string' ? cell : cell[0];
    if (first !== undefined && first.length > valueWidth) valueWidth = first.length;
  }
  const frame = `${'-'.repeat(keyWidth + separator.length + valueWidth)}\n`;
  const paddedKeys = keys.map((k) => k + pad(keyWidth - k.length) + separator);
  const continued = pad(keyWidth) + separator;
  let out = '';
  for (let r = 0; r < rows.length; r++) {
    out += frame;
    for (let c = 0; c < n; c++) {
      const cell = cells[r * n + c] as string | readonly string[];
      if (typeof cell === 'string') {
        out += paddedKeys[c] + cell + pad(valueWidth - cell.length) + '\n';
        continue;
      }
      for (let i = 0; i < cell.length; i++) {
        const line = cell[i] as string;
        out += (i === 0 ? paddedKeys[c] : continued) + line + pad(valueWidth - line.length) + '\n';
      }
    }
  }
  return out + frame;
}
