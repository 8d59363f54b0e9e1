/**
 * A plugin's own small state (which image file is which volume, access-group names, ...) as one JSON file.
 *
 * Reads validate the content with the caller's `parse`, so a file edited by hand or written by a newer version
 * is refused with a sentence instead of being half-understood. A missing file is the empty state. A file that
 * cannot be read or parsed is never overwritten: the plugin refuses to work until a person looks at it, because
 * replacing it would forget which files belong to which volumes. Writes are atomic (`writeFileAtomic`).
 */
import { promises as fsp } from 'node:fs';
import { ErrorNumber, LsmError } from '@openlsm/core';
import { writeFileAtomic } from './atomic-file.js';

export interface StateCodec<T> {
  /** Checks and converts parsed JSON; throws (any error) when the content is not a valid state. */
  parse(json: unknown): T;
  /** The state when the file does not exist yet. */
  empty(): T;
  /** What `JSON.stringify` is given; default the state itself. */
  serialize?(state: T): unknown;
}

/** State files are small; anything larger is not ours. */
export const STATE_FILE_MAX_BYTES = 64 * 1024 * 1024;

export class StateFile<T> {
  readonly path: string;
  readonly #codec: StateCodec<T>;

  constructor(file: string, codec: StateCodec<T>) {
    this.path = file;
    this.#codec = codec;
  }

  /** The stored state, or `codec.empty()` when there is no file. */
  async read(): Promise<T> {
    let text: string;
    try {
      const handle = await fsp.open(this.path, 'r');
      try {
        const { size } = await handle.stat();
        if (size > STATE_FILE_MAX_BYTES) throw this.#refuse(`it is ${size} bytes, more than a state file can be`);
        text = await handle.readFile('utf8');
      } finally {
        await handle.close();
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return this.#codec.empty();
      if (err instanceof LsmError) throw err;
      throw this.#refuse((err as NodeJS.ErrnoException).code ?? String(err), err);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw this.#refuse(`it is not valid JSON (${(err as Error).message})`, err);
    }
    try {
      return this.#codec.parse(json);
    } catch (err) {
      throw this.#refuse(`its content is not a valid state (${(err as Error).message})`, err);
    }
  }

  /** Replaces the stored state atomically (mode 0600). */
  async write(state: T): Promise<void> {
    const value = this.#codec.serialize ? this.#codec.serialize(state) : state;
    await writeFileAtomic(this.path, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  }

  #refuse(why: string, cause?: unknown): LsmError {
    return new LsmError(
      ErrorNumber.PLUGIN_BUG,
      `Cannot use the state file ${this.path}: ${why}. Nothing was changed; move the file away only if you mean to forget what it records.`,
      null,
      { cause },
    );
  }
}
