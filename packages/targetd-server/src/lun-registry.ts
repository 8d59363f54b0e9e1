/**
 * Host LUN numbers of masked volumes, kept in one small JSON file (`state_file`).
 *
 * targetd's API shows a LUN number for every export and group mapping, and lets the caller choose it; lsm's
 * model has masks but no host LUN ids, so the numbers live here, keyed by the backend's access-group and volume
 * ids. The backend stays the truth for *what* is masked: entries whose mask has gone are dropped, and a mask
 * made by someone else gets the lowest free number when it is first listed. The file is replaced atomically
 * (write, fsync, rename) with mode 0600, so a crash leaves the old or the new table, never half of one.
 *
 * ```json
 * {"version": 1, "luns": {"AG_ID_00001": {"VOL_ID_00003": 0, "VOL_ID_00007": 1}}}
 * ```
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import { ErrorNumber, LsmError } from '@openlsm/core';
import { MAX_LUN } from './params.js';

type Table = Map<string, Map<string, number>>;

/** The lowest LUN number 0..255 not in `used`. */
function firstFree(used: Iterable<number>): number | undefined {
  const taken = new Set(used);
  for (let n = 0; n <= MAX_LUN; n++) if (!taken.has(n)) return n;
  return undefined;
}

function parseTable(text: string, file: string): Table {
  const bad = (what: string) => new LsmError(ErrorNumber.INVALID_ARGUMENT, `The LUN state file ${file} is damaged (${what}); restore it from a backup or remove it (every mask then gets a new LUN number)`);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw bad('not JSON');
  }
  const d = doc as { version?: unknown; luns?: unknown };
  if (typeof doc !== 'object' || doc === null || d.version !== 1 || typeof d.luns !== 'object' || d.luns === null) throw bad('not a version 1 table');
  const table: Table = new Map();
  for (const [ag, vols] of Object.entries(d.luns as Record<string, unknown>)) {
    if (typeof vols !== 'object' || vols === null) throw bad(`entry ${JSON.stringify(ag.slice(0, 64))}`);
    const m = new Map<string, number>();
    for (const [vol, lun] of Object.entries(vols as Record<string, unknown>)) {
      if (typeof lun !== 'number' || !Number.isInteger(lun) || lun < 0 || lun > MAX_LUN) throw bad(`LUN of ${JSON.stringify(vol.slice(0, 64))}`);
      m.set(vol, lun);
    }
    table.set(ag, m);
  }
  return table;
}

export class LunRegistry {
  readonly file: string;
  readonly #table: Table;

  private constructor(file: string, table: Table) {
    this.file = file;
    this.#table = table;
  }

  /** Loads the table (a missing file is an empty table; a damaged one is an error, not silently reset). */
  static open(file: string): LunRegistry {
    let text: string | undefined;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `Cannot read the LUN state file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
    }
    const registry = new LunRegistry(file, text === undefined ? new Map() : parseTable(text, file));
    // Fail at start, not at the first mask, when the file cannot be written.
    if (text === undefined) registry.#save();
    return registry;
  }

  lunOf(agId: string, volId: string): number | undefined {
    return this.#table.get(agId)?.get(volId);
  }

  /** The volume id holding `lun` in group `agId`, if any. */
  holderOf(agId: string, lun: number): string | undefined {
    for (const [vol, n] of this.#table.get(agId) ?? []) if (n === lun) return vol;
    return undefined;
  }

  /** The lowest LUN number 0..255 free in group `agId`, or undefined when all are taken. */
  lowestFree(agId: string): number | undefined {
    return firstFree(this.#table.get(agId)?.values() ?? []);
  }

  set(agId: string, volId: string, lun: number): void {
    let m = this.#table.get(agId);
    if (!m) this.#table.set(agId, (m = new Map()));
    if (m.get(volId) === lun) return;
    m.set(volId, lun);
    this.#save();
  }

  delete(agId: string, volId: string): void {
    const m = this.#table.get(agId);
    if (!m?.delete(volId)) return;
    if (m.size === 0) this.#table.delete(agId);
    this.#save();
  }

  /**
   * Brings the table in line with the backend's masks: `masks` maps every access group id (all of them when
   * `complete`) to the volume ids masked to it, in the order new numbers should be given. Returns each group's
   * volume -> LUN map.
   */
  reconcile(masks: ReadonlyMap<string, readonly string[]>, complete: boolean): Map<string, Map<string, number>> {
    let changed = false;
    if (complete) {
      for (const ag of [...this.#table.keys()]) {
        if (!masks.has(ag)) changed = this.#table.delete(ag) || changed;
      }
    }
    const out = new Map<string, Map<string, number>>();
    for (const [ag, vols] of masks) {
      const current = this.#table.get(ag) ?? new Map<string, number>();
      const live = new Set(vols);
      for (const vol of [...current.keys()]) {
        if (!live.has(vol)) changed = current.delete(vol) || changed;
      }
      for (const vol of vols) {
        if (current.has(vol)) continue;
        const n = firstFree(current.values());
        // More than 256 masks on one group can only come from elsewhere; such extra masks get no number.
        if (n === undefined) continue;
        current.set(vol, n);
        changed = true;
      }
      if (current.size > 0) this.#table.set(ag, current);
      else changed = this.#table.delete(ag) || changed;
      out.set(ag, current);
    }
    if (changed) this.#save();
    return out;
  }

  #save(): void {
    const doc: Record<string, Record<string, number>> = {};
    for (const [ag, m] of this.#table) doc[ag] = Object.fromEntries(m);
    const dir = path.dirname(this.file);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.tmp-${process.pid}`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, `${JSON.stringify({ version: 1, luns: doc })}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file);
    const dfd = openSync(dir, 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  }
}
