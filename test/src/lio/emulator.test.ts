// The configfs emulation (test/src/fixtures/configfs) against the kernel behaviours the LIO tests rely on,
// exercised with plain file-system calls, as any program would. Every errno here is the kernel's for that
// case (fs/configfs, drivers/target): if the emulation drifted, the lio plugin's tests would test nothing.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { emulationUnavailable, mountEmulatedConfigfs, type EmulatedConfigfs } from '../fixtures/configfs/index.js';

const unavailable = emulationUnavailable();

function errno(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? String(err);
  }
  return 'OK';
}

describe('configfs emulation', { skip: unavailable }, () => {
  let cfs: EmulatedConfigfs;
  let T: string;
  let files: string;
  before(async () => {
    cfs = await mountEmulatedConfigfs();
    T = path.join(cfs.root, 'target');
    files = fs.mkdtempSync(path.join(os.tmpdir(), 'openlsm-emu-files-'));
  });
  after(async () => {
    await cfs?.unmount();
    if (files) fs.rmSync(files, { recursive: true, force: true });
  });

  const read = (p: string) => fs.readFileSync(path.join(T, p), 'utf8');
  const write = (p: string, v: string) => fs.writeFileSync(path.join(T, p), v);

  test('the target core: version, dbroot, core/alua; nothing but directories can be made', () => {
    assert.match(read('version'), /^Target Engine Core ConfigFS Infrastructure v5\.0 on Linux/);
    assert.equal(read('dbroot'), '/var/target\n');
    assert.equal(errno(() => write('dbroot', '/nonexistent-dir')), 'EINVAL');
    write('dbroot', `${files}\n`);
    assert.equal(read('dbroot'), `${files}\n`);
    assert.ok(fs.statSync(path.join(T, 'core/alua/lu_gps/default_lu_gp')).isDirectory());
    assert.equal(errno(() => fs.writeFileSync(path.join(T, 'core/newfile'), 'x')), 'EACCES');
    assert.equal(errno(() => fs.mkdirSync(path.join(cfs.root, 'other'))), 'EPERM');
    assert.equal(errno(() => fs.rmdirSync(path.join(T, 'core'))), 'EPERM');
    assert.equal(errno(() => fs.rmdirSync(path.join(T, 'core/alua'))), 'EPERM');
    assert.equal(errno(() => fs.unlinkSync(path.join(T, 'version'))), 'EPERM');
    assert.equal(errno(() => fs.renameSync(path.join(T, 'core'), path.join(T, 'core2'))), 'EPERM');
  });

  test('HBA names follow <backend>_<N>; unknown backends and malformed names are refused', () => {
    for (const bad of ['fileio', 'fileio_x', 'nosuch_0', 'pscsi_0', 'user_1']) {
      assert.equal(errno(() => fs.mkdirSync(path.join(T, 'core', bad))), 'EINVAL', bad);
    }
    fs.mkdirSync(path.join(T, 'core/rd_mcp_3'));
    assert.match(read('core/rd_mcp_3/hba_info'), /plugin: rd_mcp/);
    fs.rmdirSync(path.join(T, 'core/rd_mcp_3'));
  });

  test('a storage object gets its files and default groups on mkdir; control and enable are checked', () => {
    const so = 'core/fileio_0/vol1';
    fs.mkdirSync(path.join(T, 'core/fileio_0'));
    fs.mkdirSync(path.join(T, so));
    for (const entry of ['info', 'control', 'enable', 'udev_path', 'alias', 'attrib', 'pr', 'wwn', 'alua', 'statistics']) {
      assert.ok(fs.existsSync(path.join(T, so, entry)), entry);
    }
    assert.ok(fs.statSync(path.join(T, so, 'alua/default_tg_pt_gp')).isDirectory());
    assert.equal(errno(() => read(`${so}/control`)), 'EACCES'); // write-only
    assert.equal(read(`${so}/enable`), '0\n');
    assert.equal(errno(() => write(`${so}/enable`, '1\n')), 'EINVAL'); // no fd_dev_name yet
    assert.equal(errno(() => write(`${so}/control`, 'fd_buffered_io=2')), 'EINVAL');
    const image = path.join(files, 'vol1.img');
    write(`${so}/control`, `fd_dev_name=${image},fd_dev_size=1048576`);
    write(`${so}/udev_path`, image);
    assert.equal(errno(() => write(`${so}/enable`, '0')), 'EINVAL'); // only 1 enables
    write(`${so}/enable`, '1\n');
    assert.equal(read(`${so}/enable`), '1\n');
    assert.equal(errno(() => write(`${so}/enable`, '1')), 'EEXIST');
    assert.ok(fs.existsSync(image), 'the kernel opens the file with O_CREAT');
    assert.match(read(`${so}/info`), /File: .*vol1\.img {2}Size: 1048576 {2}Mode: O_DSYNC/);
    write(`${so}/wwn/vpd_unit_serial`, '3f6d1c2e-5b7a-4e1d-9a0b-2c4d6e8f0a1b\n');
    assert.equal(read(`${so}/wwn/vpd_unit_serial`), 'T10 VPD Unit Serial Number: 3f6d1c2e-5b7a-4e1d-9a0b-2c4d6e8f0a1b\n');
  });

  test('hw_* attributes are read-only; bad values are EINVAL, unsupported ones ENOSYS', () => {
    const a = 'core/fileio_0/vol1/attrib';
    assert.equal(fs.statSync(path.join(T, a, 'hw_block_size')).mode & 0o777, 0o444);
    assert.equal(errno(() => write(`${a}/hw_block_size`, '4096')), 'EACCES');
    assert.equal(errno(() => write(`${a}/block_size`, '1000')), 'EINVAL');
    assert.equal(errno(() => write(`${a}/emulate_tpu`, 'x')), 'EINVAL');
    assert.equal(errno(() => write(`${a}/emulate_rest_reord`, '1')), 'ENOSYS');
    write(`${a}/emulate_model_alias`, '1');
    assert.equal(read(`${a}/emulate_model_alias`), '1\n');
  });

  test('LUN and mapped LUN links go only where the kernel allows; rmdir is refused while linked', () => {
    const tpg = 'iscsi/iqn.2003-01.org.example:array/tpgt_1';
    fs.mkdirSync(path.join(T, 'iscsi'));
    fs.mkdirSync(path.join(T, 'iscsi/iqn.2003-01.org.example:array'));
    fs.mkdirSync(path.join(T, tpg));
    for (const group of ['lun', 'np', 'acls', 'attrib', 'auth', 'param']) assert.ok(fs.existsSync(path.join(T, tpg, group)), group);
    assert.equal(errno(() => fs.mkdirSync(path.join(T, tpg, 'lun/l0'))), 'EINVAL');
    fs.mkdirSync(path.join(T, tpg, 'lun/lun_0'));
    // A LUN links to a storage object, nothing else; a directory without allow_link takes no link at all.
    assert.equal(errno(() => fs.symlinkSync(path.join(T, 'core/alua'), path.join(T, tpg, 'lun/lun_0/x'))), 'EFAULT');
    assert.equal(errno(() => fs.symlinkSync(path.join(T, 'core/fileio_0/vol1'), path.join(T, tpg, 'attrib/x'))), 'EPERM');
    assert.equal(errno(() => fs.symlinkSync('/etc', path.join(T, tpg, 'lun/lun_0/x'))), 'EPERM');
    fs.symlinkSync(path.join(T, 'core/fileio_0/vol1'), path.join(T, tpg, 'lun/lun_0/a1b2c3d4e5'));
    assert.equal(fs.realpathSync(path.join(T, tpg, 'lun/lun_0/a1b2c3d4e5')), path.join(T, 'core/fileio_0/vol1'));
    assert.match(read(`${tpg}/lun/lun_0/alua_tg_pt_gp`), /^TG Port Alias: default_tg_pt_gp\n/);
    assert.equal(errno(() => fs.rmdirSync(path.join(T, 'core/fileio_0/vol1'))), 'EBUSY');
    assert.equal(errno(() => fs.rmdirSync(path.join(T, 'core/fileio_0'))), 'ENOTEMPTY');
    assert.equal(errno(() => write('core/fileio_0/vol1/wwn/vpd_unit_serial', 'x')), 'EINVAL'); // exported
    const acl = `${tpg}/acls/iqn.1994-05.com.redhat:client1`;
    fs.mkdirSync(path.join(T, acl));
    for (const entry of ['info', 'cmdsn_depth', 'tag', 'attrib', 'auth', 'param']) assert.ok(fs.existsSync(path.join(T, acl, entry)), entry);
    fs.mkdirSync(path.join(T, acl, 'lun_0'));
    assert.equal(errno(() => fs.symlinkSync(path.join(T, 'core/fileio_0/vol1'), path.join(T, acl, 'lun_0/m'))), 'EFAULT');
    fs.symlinkSync(path.join(T, tpg, 'lun/lun_0'), path.join(T, acl, 'lun_0/f6e5d4c3b2'));
    assert.equal(errno(() => fs.rmdirSync(path.join(T, tpg, 'lun/lun_0'))), 'EBUSY');
    assert.equal(errno(() => fs.rmdirSync(path.join(T, acl, 'lun_0'))), 'ENOTEMPTY');
    assert.equal(errno(() => fs.unlinkSync(path.join(T, acl, 'lun_0/write_protect'))), 'EPERM');
    // Teardown in reverse succeeds.
    fs.unlinkSync(path.join(T, acl, 'lun_0/f6e5d4c3b2'));
    fs.rmdirSync(path.join(T, acl, 'lun_0'));
    fs.rmdirSync(path.join(T, acl));
    fs.unlinkSync(path.join(T, tpg, 'lun/lun_0/a1b2c3d4e5'));
    fs.rmdirSync(path.join(T, tpg, 'lun/lun_0'));
  });

  test('TPG enable takes 0 and 1; CHAP values and tags clear with NULL', () => {
    const tpg = 'iscsi/iqn.2003-01.org.example:array/tpgt_1';
    assert.equal(errno(() => write(`${tpg}/enable`, '2')), 'EINVAL');
    write(`${tpg}/attrib/authentication`, '0');
    assert.equal(read(`${tpg}/param/AuthMethod`), 'CHAP,None\n');
    write(`${tpg}/enable`, '1');
    assert.equal(read(`${tpg}/enable`), '1\n');
    write(`${tpg}/enable`, '0');
    const acl = `${tpg}/acls/iqn.1994-05.com.redhat:client2`;
    fs.mkdirSync(path.join(T, acl));
    write(`${acl}/auth/userid`, 'user1');
    write(`${acl}/auth/password`, 'secret12');
    assert.equal(read(`${acl}/auth/password`), 'secret12\n');
    assert.equal(read(`${acl}/auth/authenticate_target`), '0\n');
    write(`${acl}/auth/password`, 'NULL');
    assert.equal(read(`${acl}/auth/password`), 'NULL\n');
    write(`${acl}/tag`, 'group1');
    assert.equal(read(`${acl}/tag`), 'group1');
    write(`${acl}/tag`, 'NULL');
    assert.equal(read(`${acl}/tag`), '');
    fs.rmdirSync(path.join(T, acl));
  });

  test('portals parse ip:port, must be local, and a wildcard excludes a specific address on its port', () => {
    const np = 'iscsi/iqn.2003-01.org.example:array/tpgt_1/np';
    assert.equal(errno(() => fs.mkdirSync(path.join(T, np, '127.0.0.1'))), 'EINVAL');
    assert.equal(errno(() => fs.mkdirSync(path.join(T, np, '300.1.1.1:3260'))), 'EINVAL');
    assert.equal(errno(() => fs.mkdirSync(path.join(T, np, '192.0.2.1:3260'))), 'EADDRNOTAVAIL');
    fs.mkdirSync(path.join(T, np, '0.0.0.0:3260'));
    assert.equal(errno(() => fs.mkdirSync(path.join(T, np, '127.0.0.1:3260'))), 'EADDRINUSE');
    fs.mkdirSync(path.join(T, np, '127.0.0.1:3261'));
    assert.equal(read(`${np}/0.0.0.0:3260/iser`), '0\n');
    fs.rmdirSync(path.join(T, np, '127.0.0.1:3261'));
    fs.rmdirSync(path.join(T, np, '0.0.0.0:3260'));
  });

  test('readdir lists the newest entries first, as configfs does', () => {
    fs.mkdirSync(path.join(T, 'core/fileio_1'));
    fs.mkdirSync(path.join(T, 'core/fileio_2'));
    // fs.readdirSync sorts (libuv's scandir); fs.opendirSync shows the file system's own order.
    const dir = fs.opendirSync(path.join(T, 'core'));
    const names: string[] = [];
    for (let entry = dir.readSync(); entry; entry = dir.readSync()) names.push(entry.name);
    dir.closeSync();
    assert.deepEqual(names.slice(0, 3), ['fileio_2', 'fileio_1', 'fileio_0']);
    fs.rmdirSync(path.join(T, 'core/fileio_1'));
    fs.rmdirSync(path.join(T, 'core/fileio_2'));
  });

  test('an injected failure hits exactly the Nth mutating call, once, and changes nothing', async () => {
    const before = (await cfs.status()).mutations;
    await cfs.failNth(2, 'ENOMEM');
    fs.mkdirSync(path.join(T, 'core/fileio_7'));
    assert.equal(errno(() => fs.mkdirSync(path.join(T, 'core/fileio_7/x'))), 'ENOMEM');
    assert.equal(fs.existsSync(path.join(T, 'core/fileio_7/x')), false);
    fs.mkdirSync(path.join(T, 'core/fileio_7/x'));
    const status = await cfs.status();
    assert.deepEqual(status, { mutations: before + 3, pending: false });
    fs.rmdirSync(path.join(T, 'core/fileio_7/x'));
    fs.rmdirSync(path.join(T, 'core/fileio_7'));
  });
});

describe('configfs emulation without the target modules', { skip: unavailable }, () => {
  test('no target/ when target_core_mod is "not loaded", and mkdir cannot make it', async () => {
    const cfs = await mountEmulatedConfigfs({ targetCore: false });
    try {
      assert.deepEqual(fs.readdirSync(cfs.root), []);
      assert.equal(errno(() => fs.mkdirSync(path.join(cfs.root, 'target'))), 'EPERM');
    } finally {
      await cfs.unmount();
    }
  });

  test('mkdir target/iscsi fails with EINVAL when iscsi_target_mod cannot load', async () => {
    const cfs = await mountEmulatedConfigfs({ iscsi: 'missing' });
    try {
      assert.equal(errno(() => fs.mkdirSync(path.join(cfs.root, 'target/iscsi'))), 'EINVAL');
    } finally {
      await cfs.unmount();
    }
  });
});
