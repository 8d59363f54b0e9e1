import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ErrorNumber, LsmError } from '@openlsm/core';
import { defaultConfig, loadConfig, parseConfig } from './config.js';

const base = defaultConfig('/run/openlsm/ipc', ['/opt/bin']);

describe('openlsmd configuration', () => {
  test('defaults', () => {
    assert.equal(base.socketMode, 0o666);
    assert.equal(base.allowPluginRoot, false);
    assert.equal(base.user, 'openlsm');
    assert.deepEqual(base.pluginDirs, ['/usr/lib/openlsm/plugins', '/opt/bin']);
  });

  test('reads every setting, modes as octal whether quoted or not', () => {
    const config = parseConfig([
      'plugin_dirs: [/usr/libexec/openlsm, /opt/plugins]',
      'socket_dir: /run/x/ipc',
      'socket_mode: 0660',
      'socket_group: storage',
      'user: lsmuser',
      'group: lsmgroup',
      'allow_plugin_root: true',
      'warm_processes: 2',
      'max_sessions: 10',
      'max_warm_processes: 6',
      'max_starting_processes: 3',
      'max_connections: 100',
      'first_request_timeout_ms: 2000',
      'idle_timeout_ms: 0',
      'max_buffered_bytes: 16777216',
      'shutdown_timeout_ms: 500',
      'exit_grace_ms: 100',
      'log_level: debug',
      'plugins:',
      '  megaraid: { require_root: true, socket_mode: "0600" }',
      '  sim:',
      '    warm_processes: 3',
      '    sessions_per_process: 1',
      '  old: { enabled: false }',
    ].join('\n'), 'test.yaml', base);
    assert.deepEqual(config.pluginDirs, ['/usr/libexec/openlsm', '/opt/plugins']);
    assert.equal(config.socketDir, '/run/x/ipc');
    assert.equal(config.socketMode, 0o660);
    assert.equal(config.socketGroup, 'storage');
    assert.equal(config.user, 'lsmuser');
    assert.equal(config.group, 'lsmgroup');
    assert.equal(config.allowPluginRoot, true);
    assert.equal(config.warmProcesses, 2);
    assert.equal(config.maxSessions, 10);
    assert.equal(config.maxWarmProcesses, 6);
    assert.equal(config.maxStartingProcesses, 3);
    assert.equal(config.maxConnections, 100);
    assert.equal(config.firstRequestTimeoutMs, 2000);
    assert.equal(config.idleTimeoutMs, 0);
    assert.equal(config.maxBufferedBytes, 16 * 1024 * 1024);
    assert.equal(config.shutdownTimeoutMs, 500);
    assert.equal(config.exitGraceMs, 100);
    assert.equal(config.logLevel, 'debug');
    assert.deepEqual(config.plugins.megaraid, { enabled: true, requireRoot: true, socketMode: 0o600, warmProcesses: undefined, maxSessions: undefined, sessionsPerProcess: undefined });
    assert.equal(config.plugins.sim?.warmProcesses, 3);
    assert.equal(config.plugins.sim?.sessionsPerProcess, 1);
    assert.equal(config.plugins.old?.enabled, false);
  });

  test('an empty file keeps the defaults', () => {
    assert.equal(parseConfig('# nothing\n', 'empty.yaml', base).socketMode, 0o666);
  });

  const rejects = (text: string, pattern: RegExp) => {
    assert.throws(() => parseConfig(text, 'bad.yaml', base), (err: unknown) => {
      assert.ok(err instanceof LsmError);
      assert.equal(err.code, ErrorNumber.INVALID_ARGUMENT);
      assert.match(err.message, pattern);
      return true;
    });
  };

  test('errors name the file, line and column', () => {
    rejects('socket_dir: /run/x\nsocket_mode: 999\n', /^bad\.yaml:2:14: socket_mode must be an octal file mode/);
    rejects('socket_dir: relative/dir\n', /^bad\.yaml:1:13: socket_dir must be an absolute path/);
    rejects('sockt_dir: /x\n', /^bad\.yaml:1:1: sockt_dir is not a setting/);
    rejects('plugins:\n  sim: { require_rot: true }\n', /^bad\.yaml:2:10: plugins\.sim\.require_rot is not a plugin setting/);
    rejects('warm_processes: -1\n', /warm_processes must be an integer from 0 to 64/);
    rejects('allow_plugin_root: yes\n', /allow_plugin_root must be true or false/);
    rejects('max_buffered_bytes: 1000\n', /max_buffered_bytes must be an integer from 1048576/);
    rejects('first_request_timeout_ms: 0\n', /first_request_timeout_ms must be an integer from 100/);
    rejects('plugins:\n  sim: { sessions_per_process: 0 }\n', /plugins\.sim\.sessions_per_process must be an integer from 1/);
    rejects('user: "bad;name"\n', /user must be a user or group name/);
    rejects('plugins:\n  "../x": {}\n', /is not a valid plugin name/);
  });

  test('YAML syntax errors carry their position', () => {
    rejects('a: [1, 2\nb: c: d\n', /^bad\.yaml:\d+:\d+: /);
    rejects('user: a\nuser: b\n', /^bad\.yaml:2:1: /);
  });

  test('loadConfig: a missing default file is fine, a missing --config file is not; flags and LSM_UDS_PATH win', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'openlsmd-config-'));
    try {
      const file = path.join(dir, 'openlsmd.yaml');
      writeFileSync(file, 'socket_dir: /from/file\nplugin_dirs: [/file/plugins]\n');
      assert.throws(() => loadConfig({ configFile: path.join(dir, 'missing.yaml') }, base, {}), /Cannot read the configuration file/);
      assert.equal(loadConfig({ configFile: file }, base, {}).socketDir, '/from/file');
      assert.equal(loadConfig({ configFile: file }, base, { LSM_UDS_PATH: '/from/env' }).socketDir, '/from/env');
      const flags = loadConfig({ configFile: file, socketDir: '/from/flag', pluginDirs: ['/flag/plugins'] }, base, { LSM_UDS_PATH: '/from/env' });
      assert.equal(flags.socketDir, '/from/flag');
      assert.deepEqual(flags.pluginDirs, ['/flag/plugins']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the packaged example configuration', () => {
  test('packaging/openlsmd.yaml is valid and documents the defaults', async () => {
    const { readFileSync } = await import('node:fs');
    const { fileURLToPath } = await import('node:url');
    const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../packaging/openlsmd.yaml');
    const config = parseConfig(readFileSync(file, 'utf8'), file, base);
    assert.equal(config.socketDir, '/run/openlsm/ipc');
    assert.equal(config.socketMode, 0o666);
    assert.equal(config.allowPluginRoot, false);
    assert.equal(config.plugins.sim?.warmProcesses, 2);
    for (const key of ['maxWarmProcesses', 'maxSessions', 'maxConnections', 'firstRequestTimeoutMs', 'idleTimeoutMs', 'maxBufferedBytes'] as const) {
      assert.equal(config[key], base[key], key);
    }
  });
});
