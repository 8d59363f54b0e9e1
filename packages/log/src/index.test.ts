import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { createLogger, maskSecrets } from './index.js';

test('maskSecrets hides secret-named members at any depth and leaves the rest', () => {
  const masked = maskSecrets({
    uri: 'targetd://admin@array',
    password: 's3cret',
    params: { in_password: 'a', out_password: 'b', Authorization: 'Basic xyz', name: 'vol1' },
    list: [{ secret: 'c', ok: 1 }],
    none: { password: null },
  });
  assert.deepEqual(masked, {
    uri: 'targetd://admin@array',
    password: '***',
    params: { in_password: '***', out_password: '***', Authorization: '***', name: 'vol1' },
    list: [{ secret: '***', ok: 1 }],
    none: { password: null },
  });
  assert.doesNotMatch(JSON.stringify(masked), /s3cret|Basic xyz/);
});

test('maskSecrets removes URI passwords from any string, malformed URIs included', () => {
  const masked = maskSecrets({
    message: 'cannot connect to targetd://admin:s3cret@array:18700',
    uri: 'sim:/admin:s3cret@host',
    nested: { why: ['bad uri "sim:admin:s3cret@host"'] },
  });
  assert.deepEqual(masked, {
    message: 'cannot connect to targetd://admin@array:18700',
    uri: 'sim:/admin@host',
    nested: { why: ['bad uri "sim:admin@host"'] },
  });
});

test('a logger below its level writes nothing and does not load winston', () => {
  const log = createLogger({ component: 'test', level: 'error' });
  assert.equal(log.enabled('warn'), false);
  assert.equal(log.enabled('error'), true);
  log.info('not written', { password: 'x' });
  assert.equal(log.child({ a: 1 }).enabled('info'), false);
  const loaded = Object.keys(createRequire(import.meta.url).cache).filter((f) => f.includes('/winston/'));
  assert.deepEqual(loaded, [], 'winston is loaded only for a line that passes the level');
});
