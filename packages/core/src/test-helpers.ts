/** Assertions shared by the core's unit tests (not exported from the package). */
import assert from 'node:assert/strict';
import { ErrorNumber, LsmError } from './errors.js';

/**
 * Asserts that `fn` throws INVALID_ARGUMENT with a message a person can read: one line, bounded in length
 * however large the input (matching `message` when given). Returns the error for further checks.
 */
export function assertInvalid(fn: () => unknown, message?: RegExp): LsmError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof LsmError, `expected LsmError, got ${String(caught)}`);
  assert.equal(caught.code, ErrorNumber.INVALID_ARGUMENT);
  if (message) assert.match(caught.message, message);
  assert.ok(!/[\n\r]/.test(caught.message), 'message is one line');
  assert.ok(caught.message.length < 500, `message too long: ${caught.message.length}`);
  return caught;
}
