import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { ErrorNumber, LsmError } from '@openlsm/core';
import { StateFile } from './state-file.js';
import { writeFileAtomic } from './atomic-file.js';

interface State { version: 1; volumes: Record<string, string> }
const codec = {
  empty: (): State => ({ version: 1, volumes: {} }),
  parse(json: unknown): State {
    const s = json as State;
    if (s === null || typeof s !== 'object' || s.version !== 1 || typeof s.volumes !== 'object') throw new Error('not a version-1 state');
    return s;
  },
};

let dir: string;
beforeEach(() => { dir = mkdtempSync(path.join(os.tmpdir(), 'openlsm-state-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('a missing file is the empty state; a write reads back and is 0600 with no temporary left', async () => {
  const file = new StateFile(path.join(dir, 'state.json'), codec);
  assert.deepEqual(await file.read(), { version: 1, volumes: {} });
  await file.write({ version: 1, volumes: { v1: 'img1' } });
  assert.deepEqual(await file.read(), { version: 1, volumes: { v1: 'img1' } });
  assert.equal(statSync(file.path).mode & 0o777, 0o600);
  assert.deepEqual(readdirSync(dir), ['state.json']);
});

test('a corrupt or foreign file is refused with PLUGIN_BUG and left exactly as it was', async () => {
  const p = path.join(dir, 'state.json');
  const file = new StateFile(p, codec);
  for (const content of ['{"version": 1, "volu', '{"version": 2, "volumes": {}}', 'null']) {
    writeFileSync(p, content);
    await assert.rejects(file.read(), (err: unknown) => err instanceof LsmError && err.code === ErrorNumber.PLUGIN_BUG && err.message.includes(p));
    assert.equal(readFileSync(p, 'utf8'), content);
  }
});

test('writeFileAtomic: a failed write leaves the old content and no temporary file', async () => {
  const p = path.join(dir, 'saveconfig.json');
  await writeFileAtomic(p, 'old');
  await assert.rejects(writeFileAtomic(path.join(dir, 'missing-dir', 'x.json'), 'new'), (err: unknown) => err instanceof LsmError && /ENOENT/.test(err.message));
  assert.equal(readFileSync(p, 'utf8'), 'old');
  assert.deepEqual(readdirSync(dir), ['saveconfig.json']);
  await writeFileAtomic(p, 'new', { mode: 0o640 });
  assert.equal(readFileSync(p, 'utf8'), 'new');
  assert.equal(statSync(p).mode & 0o777, 0o640);
});
