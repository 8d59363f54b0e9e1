import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { discoverPlugins } from './index.js';

describe('plugin discovery', () => {
  test('finds executable <name>_lsmplugin files; the first directory wins; others are reported', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'openlsmd-discovery-'));
    try {
      const a = path.join(root, 'a');
      const b = path.join(root, 'b');
      mkdirSync(a);
      mkdirSync(b);
      writeFileSync(path.join(a, 'sim_lsmplugin'), '#!/bin/true\n', { mode: 0o755 });
      writeFileSync(path.join(b, 'sim_lsmplugin'), '#!/bin/true\n', { mode: 0o755 });
      writeFileSync(path.join(b, 'targetd_lsmplugin'), '#!/bin/true\n', { mode: 0o755 });
      writeFileSync(path.join(b, 'noexec_lsmplugin'), '#!/bin/true\n', { mode: 0o644 });
      writeFileSync(path.join(b, 'readme.txt'), 'x');
      writeFileSync(path.join(b, '_lsmplugin'), '', { mode: 0o755 });
      mkdirSync(path.join(b, 'dir_lsmplugin'));
      symlinkSync(path.join(a, 'sim_lsmplugin'), path.join(b, 'linked_lsmplugin'));
      const { plugins, skipped } = discoverPlugins([a, b, path.join(root, 'missing')]);
      assert.deepEqual([...plugins.keys()].sort(), ['linked', 'sim', 'targetd']);
      assert.equal(plugins.get('sim'), path.join(a, 'sim_lsmplugin'));
      const reasons = new Map(skipped.map((s) => [path.basename(s.file), s.reason]));
      assert.equal(reasons.get('dir_lsmplugin'), 'not a regular file');
      assert.match(reasons.get('_lsmplugin') ?? '', /plugin name/);
      // Even for root, access(X_OK) fails on a file without any execute bit.
      assert.match(reasons.get('noexec_lsmplugin') ?? '', /not executable/);
      // openlsmd's --plugin-dir may be relative: what it starts is still an absolute path.
      assert.equal(discoverPlugins([path.relative(process.cwd(), b)]).plugins.get('targetd'), path.join(b, 'targetd_lsmplugin'));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
