import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allMethods, Capability, type CapabilityName } from '@openlsm/core';
import {
  ACCESS_GROUP_CAPABILITIES, BLOCK_CAPABILITIES, capabilityNames, COPY_CAPABILITIES, FS_CAPABILITIES, RESIZE_CAPABILITIES,
  targetdCapabilities,
} from './capabilities.js';
import { TargetdPlugin } from './plugin.js';

/** Capabilities that qualify a method rather than announce one. */
const QUALIFIERS: Partial<Record<CapabilityName, string>> = { VOLUME_REPLICATE_COPY: 'volumeReplicate' };

const plugin = new TargetdPlugin() as unknown as Record<string, unknown>;
const everything = { accessGroups: true, resize: true, fileSystems: true, copies: true };

test('with every feature, each claim has its method and each implemented method is claimed', () => {
  const caps = targetdCapabilities(everything);
  for (const name of capabilityNames(everything)) {
    const owners = [...allMethods.filter((m) => m.capabilities.includes(Capability[name])).map((m) => m.name as string), QUALIFIERS[name]]
      .filter((m): m is string => m !== undefined);
    assert.ok(owners.some((m) => typeof plugin[m] === 'function'), `${name} is claimed but ${owners.join('/')} is not implemented`);
  }
  for (const m of allMethods) {
    if (m.capabilities.length === 0) continue;
    const implemented = typeof plugin[m.name] === 'function';
    const claimed = m.capabilities.some((c) => caps.cap[c] === 1);
    assert.equal(claimed, implemented, `${m.method}: implemented=${implemented}, claimed=${claimed}`);
  }
});

test('what a targetd lacks is not claimed: no vol_resize, no access groups, no fs pools, no pool to copy in', () => {
  const minimal = new Set(capabilityNames({ accessGroups: false, resize: false, fileSystems: false, copies: false }));
  assert.deepEqual(minimal, new Set(BLOCK_CAPABILITIES));
  for (const name of [...RESIZE_CAPABILITIES, ...ACCESS_GROUP_CAPABILITIES, ...FS_CAPABILITIES, ...COPY_CAPABILITIES]) assert.ok(!minimal.has(name), name);
  assert.ok(capabilityNames({ ...everything, resize: false }).every((n) => n !== 'VOLUME_RESIZE'));
  assert.ok(!capabilityNames({ ...everything, fileSystems: false }).includes('EXPORT_FS'));
  // Never claimed: targetd cannot choose provisioning, has no target-port listing and no other replica kind.
  for (const name of ['VOLUME_THIN', 'TARGET_PORTS', 'VOLUME_REPLICATE_CLONE', 'VOLUME_ENABLE', 'DISKS'] as const) {
    assert.equal(targetdCapabilities(everything).cap[Capability[name]], 0, name);
  }
});
