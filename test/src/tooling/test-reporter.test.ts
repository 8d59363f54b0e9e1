/**
 * `npm test`'s reporter (scripts/test-reporter.mjs), run by node's real test runner on test files written for
 * the purpose: a passing one, one with a failing and a skipped test in a suite, one that crashes on import.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runProcess } from '../fixtures/run-process.js';

const reporter = fileURLToPath(new URL('../../../scripts/test-reporter.mjs', import.meta.url));

function run(dir: string, files: string[]) {
  // NODE_TEST_CONTEXT tells a process it is one of node:test's file runners; this one must be a fresh runner.
  const { NODE_TEST_CONTEXT: _context, ...env } = process.env;
  return runProcess(process.execPath, ['--test', '--test-concurrency=2', `--test-reporter=${reporter}`, ...files], { cwd: dir, env: { ...env, NO_COLOR: '1' } });
}

test('one line per file, failures in full with what the file wrote, a summary at the end', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openlsm-reporter-'));
  try {
    const header = "import { describe, test } from 'node:test';\nimport assert from 'node:assert/strict';\n";
    writeFileSync(path.join(dir, 'good.test.mjs'), `${header}for (let i = 0; i < 30; i++) test('passing ' + i, () => {});\n`);
    writeFileSync(path.join(dir, 'bad.test.mjs'), `${header}console.error('a clue on stderr');
describe('volumes', () => {
  test('fine', () => {});
  test('compares sizes', () => { assert.equal(4096, 512, 'block size'); });
  test('needs hardware', { skip: 'no SES enclosure' }, () => {});
});\n`);
    writeFileSync(path.join(dir, 'crash.test.mjs'), "throw new Error('broken at import');\n");
    const { code, stdout } = await run(dir, ['good.test.mjs', 'bad.test.mjs', 'crash.test.mjs']);
    assert.equal(code, 1);
    const lines = stdout.split('\n');
    assert.ok(lines.length < 80, `concise: ${lines.length} lines\n${stdout}`);
    assert.ok(!stdout.includes('passing 7'), 'passing tests are not listed one by one');
    assert.match(stdout, /^✔ good\.test\.mjs {2}30 tests /m);
    assert.match(stdout, /^ {2}✖ volumes › compares sizes \(bad\.test\.mjs:\d+:\d+\)$/m);
    assert.match(stdout, /block size/);
    assert.match(stdout, /actual: 4096/);
    assert.match(stdout, /^✖ bad\.test\.mjs {2}1 of 3 failed /m);
    assert.match(stdout, /stderr: a clue on stderr/);
    assert.match(stdout, /^✖ crash\.test\.mjs {2}the test file failed /m);
    assert.match(stdout, /Error: broken at import/);
    const summary = stdout.slice(stdout.indexOf(' summary '));
    assert.match(summary, /skipped \(1\):\n {2}- bad\.test\.mjs › volumes › needs hardware: no SES enclosure/);
    assert.match(summary, /failed \(2\):\n {2}✖ bad\.test\.mjs › volumes › compares sizes\n {2}✖ crash\.test\.mjs \(the file itself\)/);
    assert.match(summary, /^FAIL {2}\d+ tests: 31 passed, 2 failed, 1 skipped, 0 todo, 0 cancelled/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a run where everything passes ends with PASS and exit code 0', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openlsm-reporter-'));
  try {
    writeFileSync(path.join(dir, 'a.test.mjs'), "import { test } from 'node:test';\ntest('a', () => {});\n");
    const { code, stdout } = await run(dir, ['a.test.mjs']);
    assert.equal(code, 0);
    assert.match(stdout, /^✔ a\.test\.mjs {2}1 test /m);
    assert.match(stdout, /^PASS {2}1 tests: 1 passed, 0 failed/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
