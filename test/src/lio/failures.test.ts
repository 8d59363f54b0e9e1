// A change that fails halfway leaves nothing half-made. The emulated configfs (fixtures/configfs) makes the
// Nth mkdir/rmdir/symlink/unlink/write fail, as the kernel may (ENOMEM, EIO, a module that vanished); each
// operation (replicate's copy job included) is run with its 1st, 2nd, ... call failing until it gets through, and after every failure the whole
// LIO tree, saveconfig.json, the state file and the pool directory must be exactly as before the call.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import { LsmError } from '@openlsm/core';
import { emulationUnavailable } from '../fixtures/configfs/index.js';
import { INITIATOR_1, INITIATOR_2, newLio, type Lio, unsetAsEmpty } from './harness.js';
import { connectLio, type LioClient } from './in-process.js';

interface Picture {
  tree: Record<string, string>;
  saveconfig: string;
  state: string;
  images: string[];
}

/** Undoing a CHAP change may leave "NULL" where '' was: the kernel has no way back to '' (see unsetAsEmpty). */
function picture(lio: Lio): Picture {
  const read = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '');
  return { tree: unsetAsEmpty(lio.snapshot()), saveconfig: read(lio.saveconfigPath), state: read(lio.statePath), images: fs.readdirSync(lio.images).sort() };
}

/**
 * Runs `op` with its 1st, 2nd, ... mutating configfs call failing, checking after each failure that nothing
 * changed, until it succeeds; returns how many steps it has.
 */
async function everyStepFails(lio: Lio, op: () => Promise<unknown>, errno = 'EIO'): Promise<number> {
  const before = picture(lio);
  for (let nth = 1; nth < 200; nth++) {
    await lio.cfs.failNth(nth, errno);
    let failed: unknown;
    try {
      await op();
    } catch (err) {
      failed = err;
    }
    const pending = await lio.cfs.clearFailure();
    if (failed === undefined) {
      assert.ok(pending, `step ${nth} was never reached, yet the operation succeeded`);
      return nth - 1;
    }
    assert.ok(failed instanceof LsmError, `step ${nth}: an LsmError, not ${String(failed)}`);
    assert.match(failed.message, new RegExp(errno), `step ${nth}: the message names the kernel's errno`);
    const after = picture(lio);
    assert.deepEqual(after.tree, before.tree, `step ${nth} of ${failed.message}: the tree is unchanged`);
    assert.equal(after.saveconfig, before.saveconfig, `step ${nth}: saveconfig.json is unchanged`);
    assert.equal(after.state, before.state, `step ${nth}: the state file is unchanged`);
    assert.deepEqual(after.images, before.images, `step ${nth}: the pool directory is unchanged`);
  }
  throw new Error('the operation never succeeded');
}

describe('lio:// failures injected at every step', { skip: emulationUnavailable() }, () => {
  test('volume create, access-group create and add, mask, CHAP, unmask, remove, delete: each step undone', async (t) => {
    const lio = await newLio(t);
    const c: LioClient = await connectLio(t, lio);
    const steps: Record<string, number> = {};

    steps.volumeCreate = await everyStepFails(lio, () => c.createVolume('vol1'));
    await c.createVolume('vol2');
    const system = { id: 'lio' };
    const [sys] = await c.call<{ id: string }[]>('systems');
    assert.deepEqual(sys?.id, system.id);
    steps.groupCreate = await everyStepFails(lio, async () => c.call('access_group_create', {
      name: 'hosts', init_id: INITIATOR_1, init_type: 5, system: sys,
    }));
    steps.initiatorAdd = await everyStepFails(lio, async () => c.call('access_group_initiator_add', { access_group: await c.group('hosts'), init_id: INITIATOR_2, init_type: 5 }));
    steps.firstMask = await everyStepFails(lio, async () => c.call('volume_mask', { access_group: await c.group('hosts'), volume: await c.volume('vol1') }));
    steps.secondMask = await everyStepFails(lio, async () => c.call('volume_mask', { access_group: await c.group('hosts'), volume: await c.volume('vol2') }));
    steps.chap = await everyStepFails(lio, async () => c.call('iscsi_chap_auth', { init_id: INITIATOR_1, in_user: 'user1', in_password: 'secret123456', out_user: 'target1', out_password: 'secret654321' }));
    steps.unmask = await everyStepFails(lio, async () => c.call('volume_unmask', { access_group: await c.group('hosts'), volume: await c.volume('vol1') }));
    steps.initiatorRemove = await everyStepFails(lio, async () => c.call('access_group_initiator_delete', { access_group: await c.group('hosts'), init_id: INITIATOR_1, init_type: 5 }));
    steps.resize = await everyStepFails(lio, async () => c.call('volume_resize', { volume: await c.volume('vol1'), new_size_bytes: 16n * 1024n * 1024n }));
    steps.replicate = await everyStepFails(lio, async () => {
      const [job] = await c.call<[string, null]>('volume_replicate', { pool: null, rep_type: 3, volume_src: await c.volume('vol1'), name: 'vol1copy' });
      for (;;) {
        const [status] = await c.call<[number, number, unknown]>('job_status', { job_id: job }); // raises the job's error
        if (status !== 1) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      await c.call('job_free', { job_id: job });
    });
    await c.call('volume_delete', { volume: await c.volume('vol1copy') });
    steps.volumeDelete = await everyStepFails(lio, async () => c.call('volume_delete', { volume: await c.volume('vol1') }));
    assert.equal(fs.existsSync(`${lio.images}/vol1.img`), false, 'the image goes once the deletion is saved');
    await c.call('volume_unmask', { access_group: await c.group('hosts'), volume: await c.volume('vol2') });
    steps.groupDelete = await everyStepFails(lio, async () => c.call('access_group_delete', { access_group: await c.group('hosts') }));

    // Every operation was really tried at each of its steps (rtslib's sequences: 6 writes for a fileio object...).
    assert.deepEqual(steps, {
      volumeCreate: 6, groupCreate: 8, initiatorAdd: 2, firstMask: 8, secondMask: 8, chap: 5, unmask: 6,
      initiatorRemove: 3, resize: 1, replicate: 6, volumeDelete: 2, groupDelete: 1,
    });
  });

  test('a failure in the kernel leaves a message naming the object and errno, without a stack', async (t) => {
    const lio = await newLio(t);
    await lio.cfs.failNth(2, 'ENOMEM');
    const r = await lio.cli(['volume-create', '--name', 'v', '--size', '1MiB', '--pool', 'images']);
    assert.equal(r.code, 4);
    assert.match(r.stderr, /^NO_MEMORY\(152\): configfs refused to create core\/fileio_0\/v: ENOMEM \(the kernel is out of memory\)\n$/);
    assert.deepEqual(fs.readdirSync(lio.images), []);
  });
});
