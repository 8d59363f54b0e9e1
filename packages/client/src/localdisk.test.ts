import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as localdisk from '@openlsm/localdisk';
import { ErrorNumber, LsmError } from '@openlsm/core';
import * as sdk from './index.js';

test('the SDK offers every function of the local-disk API, and each one is the real thing', async () => {
  for (const [name, value] of Object.entries(localdisk)) {
    if (typeof value !== 'function') continue;
    assert.equal(typeof (sdk as Record<string, unknown>)[name], 'function', `@openlsm/client exports ${name}`);
  }
  const nowhere = { sysRoot: '/nonexistent-openlsm-sys', devRoot: '/nonexistent-openlsm-dev' };
  assert.deepEqual(await sdk.listLocalDisks(nowhere), []);
  assert.deepEqual(await sdk.localDisksByVpd83(nowhere), new Map());
  await assert.rejects(sdk.vpd83Search('../../etc/passwd', nowhere), (err: unknown) => err instanceof LsmError && err.code === ErrorNumber.INVALID_ARGUMENT);
  await assert.rejects(sdk.setLedSlot('x/y', 0, nowhere), (err: unknown) => err instanceof LsmError);
});
