/**
 * One bound on the bytes of requests received in part (and lsm requests waiting their turn) across all
 * connections: four clients that each send 60 MB of a 64 MiB frame and stop must not cost 240 MB. Each
 * connection reports what it holds; when the total passes `max_buffered_bytes`, the connection holding the most
 * is told to drop its frame (it answers TRANSPORT_SERIALIZATION and closes), so small requests of well-behaved
 * clients are never the ones refused.
 *
 * A connection that held a lot gives its memory back when it drops it: the daemon then asks V8 for a full
 * garbage collection (see memory.ts), without which large freed buffers can stay in the process for hours.
 */
import { releaseMemorySoon } from './memory.js';

export interface BudgetHolder {
  /** Drop what you hold and close: the budget is exceeded and you hold the most. */
  overBudget(held: number, max: number): void;
}

/** Dropping at least this much asks for a collection. */
const RELEASE_COLLECT_BYTES = 8 * 1024 * 1024;

export class BufferBudget {
  readonly max: number;
  readonly #held = new Map<BudgetHolder, number>();
  #total = 0;

  constructor(max: number) {
    this.max = max;
  }

  /** Bytes held now, over every connection. */
  get total(): number {
    return this.#total;
  }

  /** Sets what `holder` holds now; may call `overBudget` on the largest holder (possibly this one). */
  set(holder: BudgetHolder, bytes: number): void {
    const before = this.#held.get(holder) ?? 0;
    if (bytes === before) return;
    this.#total += bytes - before;
    if (bytes === 0) this.#held.delete(holder);
    else this.#held.set(holder, bytes);
    if (before - bytes >= RELEASE_COLLECT_BYTES) releaseMemorySoon();
    while (this.#total > this.max) {
      let largest: BudgetHolder | undefined;
      let most = 0;
      for (const [h, n] of this.#held) {
        if (n > most) { most = n; largest = h; }
      }
      if (!largest) break;
      this.release(largest);
      largest.overBudget(most, this.max);
    }
  }

  /** The holder is gone: what it held is free. */
  release(holder: BudgetHolder): void {
    this.set(holder, 0);
  }
}
