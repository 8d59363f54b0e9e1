/**
 * A device pool: a configured block device is one volume, exported as it is. The device is a loop device over a
 * file of the test's own (attached with losetup, an argument vector; detached at the end), so the data an
 * initiator writes through tgtd can be checked in the file itself. Machines without loop devices (some
 * containers) skip this file, saying why.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, openSync, readSync, closeSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ErrorNumber, LsmError } from '@openlsm/core';
import { writeAndVerify } from '../fixtures/iscsi-initiator.js';
import { PREFIX, tgtEnv, type TgtEnv } from './tgt-env.js';

const HOST = 'iqn.2024-01.org.openlsm.test:devhost';
const MiB = 1024 * 1024;

function losetup(args: string[]): string {
  return execFileSync('/sbin/losetup', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** Attaches a fresh 32 MiB file to a free loop device, or returns why that is impossible here. */
function attachLoop(dir: string): { device: string; file: string } | string {
  if (!existsSync('/dev/loop-control') || !existsSync('/sbin/losetup')) return 'no loop devices on this machine';
  const file = path.join(dir, 'loop-backing.img');
  writeFileSync(file, '');
  truncateSync(file, 32 * MiB);
  try {
    return { device: losetup(['--find', '--show', file]), file };
  } catch (err) {
    return `losetup failed: ${String((err as { stderr?: string }).stderr ?? err).trim()}`;
  }
}

let env: TgtEnv | undefined;
let loop: { device: string; file: string } | string;

before(async () => {
  loop = attachLoop(os.tmpdir());
  if (typeof loop === 'string') return;
  env = await tgtEnv({ extraConfig: `  - name: disks\n    devices: [${loop.device}]\n` });
});

after(async () => {
  await env?.cleanup();
  if (typeof loop !== 'string') losetup(['--detach', loop.device]);
});

test('a configured block device is a volume: listed with its size, exported, written through iSCSI', async (t) => {
  if (typeof loop === 'string' || !env) return t.skip(typeof loop === 'string' ? loop : 'not set up');
  const client = await env.connect();
  const pools = await client.pools();
  const disks = pools.find((p) => p.id === 'disks');
  assert.deepEqual([disks?.total_space, disks?.free_space, disks?.element_type], [BigInt(32 * MiB), 0n, 0]);
  const name = path.basename(loop.device);
  const [volume] = await client.volumes({ search_key: 'pool_id', search_value: 'disks' });
  assert.ok(volume);
  assert.deepEqual([volume.id, volume.block_size * volume.num_of_blocks], [`disks/${name}`, BigInt(32 * MiB)]);

  await assert.rejects(client.volumeCreate({ pool: disks ?? pools[0]!, volume_name: 'x', size_bytes: BigInt(MiB) }), (err) => err instanceof LsmError && err.code === ErrorNumber.NO_SUPPORT);
  await assert.rejects(client.volumeDelete({ volume }), (err) => err instanceof LsmError && err.code === ErrorNumber.NO_SUPPORT);

  const [system] = await client.systems();
  assert.ok(system);
  const ag = await client.accessGroupCreate({ name: 'devhost', init_id: HOST, init_type: 5, system });
  await client.volumeMask({ access_group: ag, volume });
  const [target] = (await env.tgtd.admin.targets()).filter((x) => x.name === `${PREFIX}:ag1.devhost`);
  assert.equal(target?.luns[1]?.path, loop.device);

  const io = await writeAndVerify({ portal: env.tgtd.portal, target: target.name, lun: 1, initiator: HOST }, 0x6b, String(8 * MiB), '64k');
  assert.ok(io.verified, io.stdout + io.stderr);
  const fd = openSync(loop.file, 'r');
  try {
    const bytes = Buffer.alloc(64 * 1024);
    readSync(fd, bytes, 0, bytes.length, 8 * MiB);
    assert.ok(bytes.every((b) => b === 0x6b), 'the data is in the file behind the loop device');
  } finally {
    closeSync(fd);
  }
  await client.volumeUnmask({ access_group: ag, volume });
});
