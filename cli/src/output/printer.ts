/**
 * Where every command's output goes: it picks the layout (columns, terse, script or JSON) from the global
 * options, so command handlers only say what to print.
 */
import type { FormatOptions, ObjectView } from './columns.js';
import { toJson } from './json.js';
import { type Cell, printable, renderColumns, renderScript } from './table.js';

export interface OutputSettings {
  json: boolean;
  human: boolean;
  enumNumbers: boolean;
  /** -t SEP. */
  terse: string | undefined;
  /** --header (with -t). */
  header: boolean;
  /** -s. */
  script: boolean;
}

export class Printer {
  readonly settings: OutputSettings;
  readonly #write: (s: string) => void;
  /** Extra data for object columns (local disk paths). */
  diskPaths: ReadonlyMap<string, readonly string[]> | undefined;

  constructor(settings: OutputSettings, write: (s: string) => void) {
    this.settings = settings;
    this.#write = write;
  }

  get json(): boolean {
    return this.settings.json;
  }

  get #format(): FormatOptions {
    return {
      human: this.settings.human,
      enumNumbers: this.settings.enumNumbers,
      ...(this.diskPaths ? { diskPaths: this.diskPaths } : {}),
    };
  }

  /** Prints objects as a table (or script blocks, or a JSON array). An empty list prints nothing in text mode. */
  objects<T>(view: ObjectView<T>, items: readonly T[]): void {
    if (this.settings.json) {
      this.#write(`${toJson(items.map(view.json))}\n`);
      return;
    }
    if (items.length === 0) return;
    const f = this.#format;
    const columns = this.settings.script ? view.columns : view.columns.filter((c) => !c.scriptOnly);
    const rows = items.map((o) => columns.map((c) => c.value(o, f)));
    const headers = columns.map((c) => c.header);
    this.#write(this.settings.script ? renderScript(headers, rows, this.settings.terse ?? ' | ') : renderColumns(headers, rows, this.#columnStyle()));
  }

  /** Key/value rows as one script-mode block, framed by dashed lines (lsm prints capabilities this way). */
  pairs(pairs: readonly (readonly [string, Cell])[]): void {
    this.#write(renderScript(pairs.map(([k]) => k), [pairs.map(([, v]) => v)], this.settings.terse ?? ' | '));
  }

  /** A value that prints as `text` in text mode and as `json` with -o json. */
  value(text: string, json: unknown): void {
    this.#write(this.settings.json ? `${toJson(json)}\n` : `${printable(text)}\n`);
  }

  #columnStyle() {
    return this.settings.terse !== undefined
      ? { separator: this.settings.terse, header: this.settings.header }
      : { separator: ' | ', header: true };
  }
}
