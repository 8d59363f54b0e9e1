import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorNumber, LsmError } from '@openlsm/core';
import { isInitiatorNameRule, parseAccounts, parsePortals, parseSystemState, parseTargets } from './show.js';

// tgtd 1.0.85's answer to `show target` with one logged-in initiator (recorded from a real tgtd).
const LISTING = `Target 1: iqn.2024-01.org.example:vol1
    System information:
        Driver: iscsi
        State: ready
    I_T nexus information:
        I_T nexus: 7
            Initiator: iqn.2024-01.org.example:client1 alias: none
            Connection: 0
                IP Address: 127.0.0.1
    LUN information:
        LUN: 0
            Type: controller
            SCSI ID: IET     00010000
            SCSI SN: beaf10
            Size: 0 MB, Block size: 1
            Online: Yes
            Removable media: No
            Prevent removal: No
            Readonly: No
            SWP: No
            Thin-provisioning: No
            Backing store type: null
            Backing store path: None
            Backing store flags: 
        LUN: 1
            Type: disk
            SCSI ID: 0123456789abcdef01234567
            SCSI SN: beaf11
            Size: 67 MB, Block size: 512
            Online: Yes
            Removable media: No
            Prevent removal: No
            Readonly: No
            SWP: No
            Thin-provisioning: No
            Backing store type: rdwr
            Backing store path: /srv/lsm/v1.img
            Backing store flags: 
    Account information:
        chapuser
        tgtout (outgoing)
    ACL information:
        ALL
        iqn.2024-01.org.example:client1
Target 2: iqn.2024-01.org.example:empty
    System information:
        Driver: iscsi
        State: offline
    I_T nexus information:
    LUN information:
        LUN: 0
            Type: controller
            Backing store path: None
    Account information:
    ACL information:
`;

test('the target tree: LUNs, sessions, accounts in and out, ACL rules', () => {
  const [one, two, ...rest] = parseTargets(LISTING);
  assert.equal(rest.length, 0);
  assert.ok(one && two);
  assert.equal(one.tid, 1);
  assert.equal(one.name, 'iqn.2024-01.org.example:vol1');
  assert.equal(one.state, 'ready');
  assert.deepEqual(one.nexuses, [{ id: '7', initiator: 'iqn.2024-01.org.example:client1', connections: [0], addresses: ['127.0.0.1'] }]);
  assert.deepEqual(one.luns.map((l) => [l.lun, l.type, l.path, l.blockSize]), [[0, 'controller', null, 1], [1, 'disk', '/srv/lsm/v1.img', 512]]);
  assert.equal(one.luns[1]?.scsiId, '0123456789abcdef01234567');
  assert.deepEqual(one.incomingAccounts, ['chapuser']);
  assert.equal(one.outgoingAccount, 'tgtout');
  assert.deepEqual(one.acls, ['ALL', 'iqn.2024-01.org.example:client1']);
  assert.deepEqual(one.acls.map(isInitiatorNameRule), [false, true]);
  assert.equal(two.state, 'offline');
  assert.deepEqual([two.luns.length, two.acls, two.incomingAccounts, two.outgoingAccount], [1, [], [], null]);
});

test('an empty listing is no targets; a malformed one is TRANSPORT_SERIALIZATION', () => {
  assert.deepEqual(parseTargets(''), []);
  for (const bad of ['garbage\n', '    LUN information:\n', 'Target x: y\n', 'Target 1: a\n    LUN information:\n        LUN: zero\n']) {
    assert.throws(() => parseTargets(bad), (err) => err instanceof LsmError && err.code === ErrorNumber.TRANSPORT_SERIALIZATION);
  }
});

test('accounts, portals and the system state', () => {
  assert.deepEqual(parseAccounts('Account list:\n    tgtout\n    chapuser\n'), ['tgtout', 'chapuser']);
  assert.deepEqual(parseAccounts(''), []);
  assert.deepEqual(parsePortals('Portal: 127.0.0.1:13260,1\nPortal: [::1]:3260,1\n'),
    [{ address: '127.0.0.1:13260', tpgt: 1 }, { address: '[::1]:3260', tpgt: 1 }]);
  assert.equal(parseSystemState('System:\n    State: ready\n    debug: off\nLLDs:\n    iscsi: ready\n'), 'ready');
});
