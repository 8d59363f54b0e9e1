/**
 * `openlsm-migrate tgt-to-lio` of 100 volumes: a real tgtd on 127.0.0.1 (the tests' fixture) serving 20 targets
 * of 5 LUNs each (sparse files), two initiators and a shared incoming CHAP account per target (its secret in a
 * targets.conf), migrated into the emulated configfs of the tests (test/src/fixtures/configfs: each file call
 * costs a few hundred microseconds there, a few on a kernel, so this is an upper bound). The figures are the
 * wall time of the built bin, process start included: a dry run (read tgtd and LIO, plan), and the migration
 * (plan, build, read back and compare, save saveconfig.json), with the configfs calls it made.
 *
 * Needs root, /usr/sbin/tgtd, /dev/fuse and python3-fusepy (as the tests); otherwise it says why and skips.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lockFileFor } from '@openlsm/plugin-lio';
import { emulationUnavailable, mountEmulatedConfigfs } from '../../test/dist/fixtures/configfs/index.js';
import { runNode } from '../../test/dist/fixtures/run-process.js';
import { startTgtd } from '../../test/dist/fixtures/tgtd.js';
import { timed } from './stats.js';

const MIGRATE = fileURLToPath(new URL('../../packages/migrate/bin/openlsm-migrate.js', import.meta.url));
const TARGETS = 20;
const LUNS_PER_TARGET = 5;

async function main(): Promise<void> {
  const why = emulationUnavailable() ?? (fs.existsSync('/usr/sbin/tgtd') ? undefined : '/usr/sbin/tgtd is missing');
  if (why) {
    console.log(`migrate bench skipped: ${why}`);
    return;
  }
  const tgtd = await startTgtd();
  const cfs = await mountEmulatedConfigfs();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openlsm-migrate-bench-'));
  try {
    const admin = tgtd.admin;
    const conf: string[] = [];
    for (let t = 1; t <= TARGETS; t++) {
      await admin.newTarget(t, `iqn.2024-01.org.example.bench:t${t}`);
      for (let l = 1; l <= LUNS_PER_TARGET; l++) {
        const file = path.join(dir, `vol${t}-${l}`);
        fs.writeFileSync(file, '');
        fs.truncateSync(file, 64 * 1024 * 1024);
        await admin.newLun(t, l, { path: file });
      }
      for (const host of ['a', 'b']) await admin.bindInitiatorName(t, `iqn.1994-05.com.example:t${t}${host}`);
      await admin.newAccount(`user${t}`, `secret-of-target-${t}`);
      await admin.bindAccount(t, `user${t}`, false);
      conf.push(`incominguser user${t} secret-of-target-${t}`);
    }
    fs.writeFileSync(path.join(dir, 'targets.conf'), `${conf.join('\n')}\n`, { mode: 0o600 });
    fs.mkdirSync(path.join(dir, 'etc'));
    const argv = ['tgt-to-lio', '--tgt-socket', tgtd.socketPath, '--targets-conf', path.join(dir, 'targets.conf'),
      '--configfs', cfs.root, '--saveconfig', path.join(dir, 'etc', 'saveconfig.json'), '--lio-state', path.join(dir, 'etc', 'openlsm-lio.json')];
    const [dry, dryRun] = await timed(() => runNode(MIGRATE, [...argv, '--dry-run']));
    if (dryRun.code !== 0) throw new Error(`dry run failed: ${dryRun.stderr}`);
    const before = (await cfs.status()).mutations;
    const [real, run] = await timed(() => runNode(MIGRATE, argv));
    if (run.code !== 0) throw new Error(`migration failed: ${run.stderr}`);
    const calls = (await cfs.status()).mutations - before;
    const volumes = TARGETS * LUNS_PER_TARGET;
    const rows: [string, string][] = [
      [`dry run, ${volumes} volumes in ${TARGETS} targets (process start included)`, `${dry.toFixed(0)} ms`],
      [`migration, ${volumes} volumes in ${TARGETS} targets (process start included)`, `${real.toFixed(0)} ms (${(real / volumes).toFixed(1)} ms per volume)`],
      ['configfs calls of the migration', `${calls}`],
      ['saveconfig.json size', `${(fs.statSync(path.join(dir, 'etc', 'saveconfig.json')).size / 1024).toFixed(0)} KiB`],
    ];
    for (const [what, value] of rows) console.log(`${what.padEnd(72)} ${value}`);
  } finally {
    await cfs.unmount();
    await tgtd.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(lockFileFor(cfs.root), { force: true });
  }
}

await main();
