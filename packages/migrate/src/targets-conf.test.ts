import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ErrorNumber, LsmError } from '@openlsm/core';
import { parseTargetsConfText, readTargetsConf } from './targets-conf.js';

test('incominguser and outgoinguser lines give secrets; comments and the rest are ignored', () => {
  const { source, includes } = parseTargetsConfText([
    'default-driver iscsi',
    '<target iqn.2020-01.com.example:a>',
    '    backing-store /srv/a.img',
    '    incominguser alice alice-secret  # the host',
    '    OutgoingUser target target-secret',
    '#   incominguser commented out-secret',
    '</target>',
    'include /etc/tgt/conf.d/*.conf',
  ].join('\n'));
  assert.deepEqual([...source.secrets], [['alice', 'alice-secret'], ['target', 'target-secret']]);
  assert.deepEqual(includes, ['/etc/tgt/conf.d/*.conf']);
});

test("tgt-admin --dump's placeholder is no secret: the account stays unknown", () => {
  const { source } = parseTargetsConfText('incominguser nodeuser PLEASE_CORRECT_THE_PASSWORD\n');
  assert.equal(source.secrets.has('nodeuser'), false);
});

test('a user given two different secrets is conflicting; the same secret twice is not', () => {
  const { source } = parseTargetsConfText('incominguser a one\nincominguser a one\nincominguser b one\nincominguser b two\n');
  assert.deepEqual([...source.conflicting], ['b']);
  assert.equal(source.secrets.get('a'), 'one');
});

test('includes are followed (globs in the last component), a missing file is named, a loop is stopped', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openlsm-targets-conf-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.mkdirSync(path.join(dir, 'conf.d'));
  fs.writeFileSync(path.join(dir, 'targets.conf'), 'include conf.d/*.conf\n');
  fs.writeFileSync(path.join(dir, 'conf.d', 'one.conf'), 'incominguser one s1\n');
  fs.writeFileSync(path.join(dir, 'conf.d', 'two.conf'), 'incominguser two s2\n');
  fs.writeFileSync(path.join(dir, 'conf.d', 'skip.txt'), 'incominguser skip s3\n');
  assert.deepEqual([...readTargetsConf(path.join(dir, 'targets.conf')).secrets.keys()].sort(), ['one', 'two']);
  assert.throws(() => readTargetsConf(path.join(dir, 'absent.conf')), (err: unknown) => err instanceof LsmError && err.code === ErrorNumber.INVALID_ARGUMENT && err.message.includes('absent.conf'));
  fs.writeFileSync(path.join(dir, 'loop.conf'), `include ${path.join(dir, 'loop.conf')}\n`);
  assert.throws(() => readTargetsConf(path.join(dir, 'loop.conf')), /includes nest deeper than 8 levels/);
});
