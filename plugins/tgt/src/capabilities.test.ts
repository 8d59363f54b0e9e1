import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allMethods, Capability, type CapabilityName } from '@openlsm/core';
import { TGT_CAPABILITIES, tgtCapabilities } from './capabilities.js';
import { TgtPlugin } from './plugin.js';

/** Capabilities that qualify a method rather than announce one. */
const QUALIFIERS: Partial<Record<CapabilityName, string>> = {
  VOLUME_THIN: 'volumeCreate',
  VOLUME_REPLICATE_CLONE: 'volumeReplicate',
  VOLUME_REPLICATE_COPY: 'volumeReplicate',
};

test('every claim has its method and every method with a capability is claimed', () => {
  const plugin = new TgtPlugin() as unknown as Record<string, unknown>;
  const caps = tgtCapabilities();
  for (const name of TGT_CAPABILITIES) {
    const owners = allMethods.filter((m) => m.capabilities.includes(Capability[name])).map((m) => m.name as string);
    const qualifier = QUALIFIERS[name];
    if (qualifier) owners.push(qualifier);
    assert.ok(owners.some((m) => typeof plugin[m] === 'function'), `${name} is claimed without a method`);
  }
  for (const m of allMethods) {
    if (m.capabilities.length === 0) continue;
    assert.equal(m.capabilities.some((c) => caps.cap[c] === 1), typeof plugin[m.name] === 'function', m.method);
  }
});
