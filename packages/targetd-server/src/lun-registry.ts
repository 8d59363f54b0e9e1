/**
 * Host LUN numbers of masked volumes, kept in one small JSON file (`state_file`).
 *
 * targetd's API shows a LUN number for every export and group mapping, and lets the caller choose it; lsm's
 * model has masks but no host LUN ids, so the numbers live here, keyed by the backend's access-group and volume
 * ids. The backend stays the truth for *what* is masked: entries whose mask has gone are dropped, and a mask
 * made by someone else gets the lowest free number when it is first listed. The file is a backing-store
 * `StateFile`: replaced atomically with mode 0600, and never overwritten when it cannot be read.
 *
 * ```json
 * {"version": 1, "luns": {"AG_ID_00001": {"VOL_ID_00003": 0, "VOL_ID_00007": 1}}}
 * ```
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { StateFile, type StateCodec } from '@openlsm/backing-store';
import { MAX_LUN } from './params.js';

type Table = Map<string, Map<string, number>>;

const codec: StateCodec<Table> = {
  empty: () => new Map(),
  parse(json) {
    const d = json as { version?: unknown; luns?: unknown };
    if (typeof json !== 'object' || json === null || d.version !== 1 || typeof d.luns !== 'object' || d.luns === null) throw new Error('not a version 1 LUN table');
    const table: Table = new Map();
    for (const [ag, vols] of Object.entries(d.luns as Record<string, unknown>)) {
      if (typeof vols !== 'object' || vols === null) throw new Error(`entry ${JSON.stringify(ag.slice(0, 64))} is not a mapping`);
      const m = new Map<string, number>();
      for (const [vol, lun] of Object.entries(vols as Record<string, unknown>)) {
        if (typeof lun !== 'number' || !Number.isInteger(lun) || lun < 0 || lun > MAX_LUN) throw new Error(`LUN of ${JSON.stringify(vol.slice(0, 64))} is not 0..${MAX_LUN}`);
        m.set(vol, lun);
      }
      table.set(ag, m);
    }
    return table;
  },
  serialize: (table) => ({ version: 1, luns: Object.fromEntries([...table].map(([ag, m]) => [ag, Object.fromEntries(m)])) }),
};

/** The lowest LUN number 0..255 not in `used`. */
function firstFree(used: Iterable<number>): number | undefined {
  const taken = new Set(used);
  for (let n = 0; n <= MAX_LUN; n++) if (!taken.has(n)) return n;
  return undefined;
}

export class LunRegistry {
  readonly #file: StateFile<Table>;
  readonly #table: Table;

  private constructor(file: StateFile<Table>, table: Table) {
    this.#file = file;
    this.#table = table;
  }

  /**
   * Loads the table. A missing file is an empty table, written at once (its directory made, 0700) so that a
   * path the server cannot write fails at start rather than at the first mask.
   */
  static async open(file: string): Promise<LunRegistry> {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const state = new StateFile(file, codec);
    const registry = new LunRegistry(state, await state.read());
    await state.write(registry.#table);
    return registry;
  }

  /** The lowest LUN number 0..255 free in group `agId`, or undefined when all are taken. */
  lowestFree(agId: string): number | undefined {
    return firstFree(this.#table.get(agId)?.values() ?? []);
  }

  async set(agId: string, volId: string, lun: number): Promise<void> {
    let m = this.#table.get(agId);
    if (!m) this.#table.set(agId, (m = new Map()));
    if (m.get(volId) === lun) return;
    m.set(volId, lun);
    await this.#file.write(this.#table);
  }

  async delete(agId: string, volId: string): Promise<void> {
    const m = this.#table.get(agId);
    if (!m?.delete(volId)) return;
    if (m.size === 0) this.#table.delete(agId);
    await this.#file.write(this.#table);
  }

  /**
   * Brings the table in line with the backend's masks: `masks` maps access group ids (every group, when
   * `complete`) to the volume ids masked to it, in the order new numbers should be given. Returns each of those
   * groups' volume -> LUN maps.
   */
  async reconcile(masks: ReadonlyMap<string, readonly string[]>, complete: boolean): Promise<Map<string, Map<string, number>>> {
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
    if (changed) await this.#file.write(this.#table);
    return out;
  }
}
