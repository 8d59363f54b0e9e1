/**
 * Mutual exclusion by key, in one process: `run('vol:P1:v1', fn)` waits for earlier holders of the same key
 * only. targetd serialises every call behind one global lock; here only calls that must see each other's
 * effect (a name check and the create it guards, the LUN table and the masks it numbers) wait for each other.
 */
export class KeyedMutex {
  readonly #tails = new Map<string, Promise<void>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const tail = new Promise<void>((resolve) => { release = resolve; });
    const chained = previous.then(() => tail);
    this.#tails.set(key, chained);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (this.#tails.get(key) === chained) this.#tails.delete(key);
    }
  }
}
