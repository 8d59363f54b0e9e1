/**
 * A bound on plugin processes starting at once, over every plugin: a burst of 1,000 connections once had 25 to
 * 47 Node processes loading at the same time on two cores (load 12), which slowed every one of them and the
 * daemon's own event loop. Starts beyond the bound wait their turn, oldest first.
 */
export class StartLimiter {
  readonly #max: number;
  #running = 0;
  readonly #queue: (() => void)[] = [];

  constructor(max: number) {
    this.#max = Math.max(1, max);
  }

  /** Processes starting now. */
  get running(): number {
    return this.#running;
  }

  /** Runs `start` when a slot is free; the slot is held until its promise settles. */
  async run<T>(start: () => Promise<T>): Promise<T> {
    if (this.#running >= this.#max) await new Promise<void>((resolve) => this.#queue.push(resolve));
    else this.#running++;
    try {
      return await start();
    } finally {
      const next = this.#queue.shift();
      if (next) next(); // the slot passes on
      else this.#running--;
    }
  }
}
