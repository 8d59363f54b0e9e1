/**
 * Logging refused connections without letting a flood of them flood the journal: at most `perSecond` lines a
 * second, and the count of those left out goes with the next line.
 */
import type { Logger } from '@openlsm/log';

export class RefusalLog {
  readonly #log: Logger;
  readonly #perSecond: number;
  #windowStart = 0;
  #inWindow = 0;
  #suppressed = 0;

  constructor(log: Logger, perSecond = 10) {
    this.#log = log;
    this.#perSecond = perSecond;
  }

  refused(reason: string, meta: Record<string, unknown> = {}): void {
    const now = Date.now();
    if (now - this.#windowStart >= 1_000) {
      this.#windowStart = now;
      this.#inWindow = 0;
    }
    if (++this.#inWindow > this.#perSecond) {
      this.#suppressed++;
      return;
    }
    const suppressed = this.#suppressed;
    this.#suppressed = 0;
    this.#log.warn('refused connection', { reason, ...meta, ...(suppressed > 0 ? { notLogged: suppressed } : {}) });
  }
}
