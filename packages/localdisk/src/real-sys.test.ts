/**
 * The local-disk API on this machine's real /sys and /dev. The hardware differs from one machine to the next
 * (a VM has virtio disks, CI may have none), so only invariants are checked: nothing throws, every path is a
 * node in /dev, every value is one lsm defines.
 */

import { DiskLinkType, HealthStatus, LedStatus } from '@openlsm/core';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { listLedSlots, listLocalDisks, vpd83Search } from './index.js';

test('the real /sys: invariants only', async () => {
  const disks = await listLocalDisks();
  const linkTypes = new Set<number>(Object.values(DiskLinkType));
  const health = new Set<number>(Object.values(HealthStatus));
  for (const d of disks) {
    assert.match(d.path, /^\/dev\/[A-Za-z0-9][A-Za-z0-9_.:+-]*$/);
    assert.ok(existsSync(d.path), `${d.path} exists`);
    assert.match(d.vpd83, /^(?:|6[0-9a-f]{31}|[235][0-9a-f]{15})$/);
    assert.ok(Number.isSafeInteger(d.rpm) && d.rpm >= -1, `rpm ${d.rpm}`);
    assert.ok(linkTypes.has(d.link_type), `link type ${d.link_type}`);
    assert.ok(health.has(d.health) && d.health !== HealthStatus.GOOD, `health ${d.health}`);
    assert.ok(Number.isSafeInteger(d.link_speed_mbps) && d.link_speed_mbps >= 0);
    assert.ok(d.led_status === LedStatus.UNKNOWN || (d.led_status & LedStatus.UNKNOWN) === 0);
    if (d.vpd83 !== '') assert.ok((await vpd83Search(d.vpd83)).includes(d.path));
  }
  assert.deepEqual(
    disks.map((d) => d.path),
    [...new Set(disks.map((d) => d.path))],
    'no disk listed twice',
  );
  for (const slot of await listLedSlots()) {
    assert.ok(slot.device === '' || existsSync(slot.device), slot.device);
  }
});
