import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorNumber } from '@openlsm/core';
import { networkErrorToLsm } from './network-errors.js';
import { targetdErrorToLsm, TargetdCode } from './rpc-errors.js';

test('targetd\'s codes are those of its sources (targetd.md §3), written out here as numbers', () => {
  assert.deepEqual({ ...TargetdCode }, {
    PARSE_ERROR: -32700, INVALID_REQUEST: -32600, METHOD_NOT_FOUND: -32601, INVALID_ARGUMENT: -32602, GENERIC: -1,
    NAME_CONFLICT: -50, EXISTS_CLONE_NAME: -51, EXISTS_INITIATOR: -52, EXISTS_FS_NAME: -53, NOT_FOUND_VOLUME: -103,
    NOT_FOUND_FS: -104, INVALID_POOL: -110, NOT_FOUND_SS: -112, NOT_FOUND_VOLUME_EXPORT: -151, NOT_FOUND_VOLUME_GROUP: -152,
    NO_SUPPORT: -153, NOT_FOUND_ACCESS_GROUP: -200, VOLUME_MASKED: -303, NOT_FOUND_NFS_EXPORT: -400, NFS_NO_SUPPORT: -401,
    NO_FREE_HOST_LUN_ID: -1000,
  });
});

test('every targetd error code has its lsm code, and keeps targetd\'s', () => {
  const table: [number, string, number][] = [
    [TargetdCode.INVALID_ARGUMENT, 'invalid method arguments(s)', ErrorNumber.INVALID_ARGUMENT],
    [TargetdCode.NAME_CONFLICT, 'Volume with that name exists', ErrorNumber.NAME_CONFLICT],
    [TargetdCode.EXISTS_CLONE_NAME, 'Clone name already exists', ErrorNumber.NAME_CONFLICT],
    [TargetdCode.EXISTS_FS_NAME, 'FS already exists', ErrorNumber.NAME_CONFLICT],
    [TargetdCode.EXISTS_INITIATOR, 'Requested init_id is in use', ErrorNumber.EXISTS_INITIATOR],
    [TargetdCode.NOT_FOUND_VOLUME, 'not found', ErrorNumber.NOT_FOUND_VOLUME],
    [TargetdCode.NOT_FOUND_FS, 'fs_uuid not found', ErrorNumber.NOT_FOUND_FS],
    [TargetdCode.INVALID_POOL, 'Invalid pool (x)', ErrorNumber.NOT_FOUND_POOL],
    [TargetdCode.NOT_FOUND_VOLUME_GROUP, 'VG missing', ErrorNumber.NOT_FOUND_POOL],
    [TargetdCode.NOT_FOUND_SS, 'snapshot not found', ErrorNumber.NOT_FOUND_FS_SS],
    [TargetdCode.NOT_FOUND_VOLUME_EXPORT, "Volume 'v' not found in iqn exports", ErrorNumber.NO_STATE_CHANGE],
    [TargetdCode.NO_SUPPORT, 'Only support iscsi', ErrorNumber.NO_SUPPORT],
    [TargetdCode.NFS_NO_SUPPORT, 'separate export path not supported', ErrorNumber.NO_SUPPORT],
    [TargetdCode.NOT_FOUND_ACCESS_GROUP, 'Access group not found', ErrorNumber.NOT_FOUND_ACCESS_GROUP],
    [TargetdCode.NOT_FOUND_NFS_EXPORT, 'NFS export to remove not found', ErrorNumber.NOT_FOUND_NFS_EXPORT],
    [TargetdCode.VOLUME_MASKED, "Volume 'v' cannot be removed while exported", ErrorNumber.IS_MASKED],
    [TargetdCode.VOLUME_MASKED, "Unexpected exit code 1 from zfs: cannot create 'tank/v': out of space", ErrorNumber.NOT_ENOUGH_SPACE],
    [TargetdCode.VOLUME_MASKED, 'Failed to resize', ErrorNumber.PLUGIN_BUG],
    [TargetdCode.GENERIC, 'GLib.GError: Volume group "vg" has insufficient free space (1 extents): 2 required.', ErrorNumber.NOT_ENOUGH_SPACE],
    [TargetdCode.GENERIC, 'RuntimeError: copy requires thin-provisioned volumes', ErrorNumber.NO_SUPPORT],
    [TargetdCode.GENERIC, 'RTSLibError: boom', ErrorNumber.PLUGIN_BUG],
    [TargetdCode.METHOD_NOT_FOUND, 'method vol_resize not found', ErrorNumber.NO_SUPPORT],
    [TargetdCode.PARSE_ERROR, 'parse error', ErrorNumber.PLUGIN_BUG],
    [TargetdCode.INVALID_REQUEST, 'not a valid jsonrpc-2.0 request', ErrorNumber.PLUGIN_BUG],
    [TargetdCode.NO_FREE_HOST_LUN_ID, 'No free host LUN ID', ErrorNumber.PLUGIN_BUG],
    [-9999, 'new code', ErrorNumber.PLUGIN_BUG],
    [17, 'an async job', ErrorNumber.PLUGIN_BUG],
  ];
  for (const [code, message, lsm] of table) {
    const err = targetdErrorToLsm(code, message, 'some_method', 'h:1');
    assert.equal(err.code, lsm, `${code} ${message}`);
    assert.equal(err.targetdCode, code);
    assert.ok(err.message.startsWith('targetd at h:1: some_method: '), err.message);
  }
});

test('targetd\'s text is made printable and bounded before it is quoted', () => {
  const err = targetdErrorToLsm(-1, `line1\nline2${'x'.repeat(5000)}`, 'm', 'h:1');
  assert.ok(!err.message.includes('\n'));
  assert.ok(err.message.length < 500);
  assert.equal(targetdErrorToLsm(-1, { not: 'a string' }, 'm', 'h:1').code, ErrorNumber.PLUGIN_BUG);
});

test('network failures: refused, unreachable, timeouts, TLS certificate problems by name', () => {
  const c = { label: 'h:18700', method: 'pool_list', ssl: true, timeoutMs: 5000, aborted: false };
  const cases: [object, number, RegExp][] = [
    [{ code: 'ECONNREFUSED' }, ErrorNumber.NETWORK_CONNREFUSED, /refused the connection.*port 18700/],
    [{ code: 'EHOSTUNREACH' }, ErrorNumber.NETWORK_HOSTDOWN, /cannot be reached/],
    [{ code: 'ENETUNREACH' }, ErrorNumber.NETWORK_HOSTDOWN, /cannot be reached/],
    [{ code: 'UND_ERR_CONNECT_TIMEOUT' }, ErrorNumber.NETWORK_HOSTDOWN, /5000 ms/],
    [{ code: 'ENOTFOUND' }, ErrorNumber.NETWORK_ERROR, /does not resolve/],
    [{ code: 'UND_ERR_HEADERS_TIMEOUT' }, ErrorNumber.TIMEOUT, /within 5000 ms/],
    [{ code: 'UND_ERR_SOCKET' }, ErrorNumber.NETWORK_ERROR, /closed the connection/],
    [{ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }, ErrorNumber.NETWORK_ERROR, /^TLS: .* is self-signed .*ca_cert_file/],
    [{ code: 'CERT_HAS_EXPIRED' }, ErrorNumber.NETWORK_ERROR, /has expired \(CERT_HAS_EXPIRED\)/],
    [{ code: 'ERR_TLS_CERT_ALTNAME_INVALID', reason: 'Host: h. is not cert\'s CN' }, ErrorNumber.NETWORK_ERROR, /does not name this host \(ERR_TLS_CERT_ALTNAME_INVALID: Host/],
    [{ code: 'ERR_SSL_WRONG_VERSION_NUMBER' }, ErrorNumber.NETWORK_ERROR, /plain HTTP, use targetd:\/\//],
    [{ name: 'HTTPParserError', message: 'Expected HTTP/' }, ErrorNumber.NETWORK_ERROR, /not HTTP/],
    [{ message: 'weird' }, ErrorNumber.NETWORK_ERROR, /weird/],
  ];
  for (const [error, code, message] of cases) {
    const err = networkErrorToLsm(error, c);
    assert.equal(err.code, code, JSON.stringify(error));
    assert.match(err.message, message);
  }
  assert.equal(networkErrorToLsm({ code: 'ECONNREFUSED' }, { ...c, aborted: true }).code, ErrorNumber.TIMEOUT, 'a passed deadline wins');
});
