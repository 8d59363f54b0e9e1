/**
 * The undo list of one change. LIO has no transactions: a change is a sequence of mkdir, symlink and write
 * calls, any of which the kernel may refuse. Each step that succeeds records how to take it back; when a later
 * step fails, the recorded inverses run newest first, so the tree is left as it was before the change began
 * (the kernel's own teardown order: mapped LUNs before LUNs, LUNs before storage objects, objects before
 * their HBA). An inverse that fails is logged and the others still run; the caller gets the original error.
 */
import type { Logger } from '@openlsm/log';

interface Step {
  what: string;
  undo: () => void | Promise<void>;
}

export class Journal {
  readonly #steps: Step[] = [];

  /** Records how to take back the step just made. */
  undo(what: string, undo: () => void | Promise<void>): void {
    this.#steps.push({ what, undo });
  }

  get length(): number {
    return this.#steps.length;
  }

  /** rollback() for a journal whose inverses are all synchronous (configfs calls): done when it returns. */
  rollbackSync(log?: Logger): string[] {
    const failed: string[] = [];
    for (const step of this.#steps.splice(0).reverse()) {
      try {
        const pending = step.undo();
        if (pending instanceof Promise) pending.catch(() => undefined);
      } catch (err) {
        failed.push(step.what);
        log?.error('could not undo a step of a failed change', { step: step.what, error: (err as Error).message });
      }
    }
    return failed;
  }

  /** Runs every recorded inverse, newest first; returns the descriptions of those that failed. */
  async rollback(log?: Logger): Promise<string[]> {
    const failed: string[] = [];
    for (const step of this.#steps.splice(0).reverse()) {
      try {
        await step.undo();
      } catch (err) {
        failed.push(step.what);
        log?.error('could not undo a step of a failed change', { step: step.what, error: (err as Error).message });
      }
    }
    return failed;
  }
}
