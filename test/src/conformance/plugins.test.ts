/**
 * `openlsm-plugin-test` against every plugin we ship (sim both embedded and through openlsmd), and against the
 * Python plugin written from docs/protocol.md alone. Each plugin is one entry in TARGETS: how to serve it in a private directory (its URI,
 * password and environment) and which checks it must pass (so that a plugin cannot pass by claiming nothing).
 * The run must pass, and leave nothing behind on the array.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { lockFileFor } from '@openlsm/plugin-lio';
import { leftovers, passwordFile, pluginDir, pluginTestJson, scratch } from './conformance-env.js';
import { tgtEnv } from '../tgt/tgt-env.js';
import { emulationUnavailable, mountEmulatedConfigfs } from '../fixtures/configfs/index.js';
import { startTargetdServer } from '../fixtures/targetd/index.js';
import { makeTestCa } from '../fixtures/test-ca.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

interface Served {
  uri: string;
  password?: string;
  env: NodeJS.ProcessEnv;
  stop?: () => Promise<void>;
}

interface Target {
  name: string;
  /** Starts or prepares the plugin (and any array double it talks to) in `dir`. */
  serve(dir: string): Promise<Served>;
  /** Checks that must pass, not be skipped. */
  mustPass: readonly string[];
}

/** The environment of every run: no daemon socket, no settings of the developer's own. */
function baseEnv(dir: string): NodeJS.ProcessEnv {
  const { LSM_SIM_DATA: _data, LSMCLI_URI: _uri, LSMCLI_PASSWORD: _password, ...env } = process.env;
  return { ...env, LSM_UDS_PATH: path.join(dir, 'no-daemon'), LSM_SIM_TIME: '0' };
}

const TARGETS: Target[] = [
  {
    name: 'sim',
    async serve(dir) {
      return { uri: `sim://?statefile=${encodeURIComponent(path.join(dir, 'state.sqlite3'))}`, env: baseEnv(dir) };
    },
    mustPass: ['session.unregister', 'volume_create', 'volume_mask.is_masked', 'access_group_initiator.wwpn', 'fs_snapshot', 'export_fs'],
  },
  {
    name: 'sim through openlsmd',
    async serve(dir) {
      const plugins = pluginDir(dir, 'sim', path.join(repo, 'plugins/sim/bin/sim_lsmplugin.js'));
      const sockets = path.join(dir, 'ipc');
      const env = { ...baseEnv(dir), LSM_UDS_PATH: sockets };
      const daemon = spawn(process.execPath, [path.join(repo, 'packages/daemon/bin/openlsmd.js'), '--socket-dir', sockets, '--plugin-dir', plugins], {
        env, stdio: ['ignore', 'ignore', 'pipe'], shell: false,
      });
      let log = '';
      daemon.stderr.setEncoding('utf8').on('data', (s: string) => { log += s; });
      const exited = new Promise<void>((resolve) => daemon.once('close', () => resolve()));
      const started = Date.now();
      while (!log.includes('openlsmd started')) {
        assert.ok(daemon.exitCode === null && Date.now() - started < 60_000, `openlsmd did not start: ${log}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return {
        uri: `sim://?statefile=${encodeURIComponent(path.join(dir, 'state.sqlite3'))}`,
        env,
        async stop() {
          daemon.kill('SIGTERM');
          await exited;
          // Every check reached the plugin through the daemon (a missing socket would have meant embedded mode).
          assert.ok((log.match(/"message":"session started"/g) ?? []).length >= 10, `openlsmd served few sessions:\n${log.slice(-2000)}`);
        },
      };
    },
    mustPass: ['session.unregister', 'protocol.pipelining', 'volume_create', 'volume_mask', 'fs_create'],
  },
  {
    name: 'targetd+ssl (the targetd test double over HTTPS)',
    async serve(dir) {
      const ca = makeTestCa();
      const server = await startTargetdServer({ tls: ca.server });
      return {
        uri: server.uri(`ca_cert_file=${encodeURIComponent(ca.ca.certFile)}`),
        password: server.password,
        env: baseEnv(dir),
        async stop() {
          await server.close();
          ca.cleanup();
        },
      };
    },
    mustPass: ['session.unregister', 'volume_create', 'volume_create.name_conflict', 'volume_delete', 'volume_resize', 'volume_mask', 'access_group_create.iscsi', 'access_group_initiator.iscsi'],
  },
  {
    name: 'tgt (a real tgtd on 127.0.0.1)',
    async serve(dir) {
      const tgt = await tgtEnv();
      return { uri: tgt.uri, env: { ...baseEnv(dir), LSM_UDS_PATH: tgt.env.LSM_UDS_PATH }, stop: () => tgt.cleanup() };
    },
    mustPass: ['session.unregister', 'volume_create', 'volume_delete', 'volume_resize', 'volume_mask', 'volume_mask.is_masked', 'access_group_create.iscsi', 'access_group_initiator.iscsi'],
  },
  {
    name: 'lio (on the configfs emulation)',
    async serve(dir) {
      assert.equal(emulationUnavailable(), undefined, 'lio runs on the configfs emulation here');
      const cfs = await mountEmulatedConfigfs();
      const images = path.join(dir, 'images');
      mkdirSync(images);
      writeFileSync(path.join(dir, 'lio.yaml'), `target_iqn: iqn.2003-01.org.example.test:conformance\nportals: ["127.0.0.1:3260"]\npools:\n  images: { directory: ${images} }\n`);
      return {
        uri: `lio://?configfs=${cfs.root}&config=${path.join(dir, 'lio.yaml')}&saveconfig=${path.join(dir, 'saveconfig.json')}`,
        env: baseEnv(dir),
        async stop() {
          await cfs.unmount();
          rmSync(lockFileFor(cfs.root), { force: true });
        },
      };
    },
    mustPass: ['session.unregister', 'target_ports', 'volume_create', 'volume_delete', 'volume_resize', 'volume_replicate.copy', 'volume_mask', 'volume_mask.is_masked', 'access_group_create.iscsi', 'access_group_initiator.iscsi'],
  },
  {
    name: 'python (written from docs/protocol.md)',
    async serve(dir) {
      const probe = spawnSync('/usr/bin/python3', ['-c', 'import msgpack'], { stdio: 'ignore' });
      assert.equal(probe.status, 0, 'the Python plugin needs /usr/bin/python3 with msgpack: apt-get install python3-msgpack');
      const plugins = pluginDir(dir, 'pydemo', path.join(repo, 'examples/python/pydemo_lsmplugin'));
      return { uri: 'pydemo://', password: 'not needed', env: { ...baseEnv(dir), OPENLSM_PLUGIN_DIR: plugins } };
    },
    mustPass: ['protocol.flags', 'protocol.pipelining', 'session.unregister', 'volumes', 'volume_create', 'volume_create.name_conflict', 'volume_create.not_enough_space', 'volume_delete'],
  },
];

describe('openlsm-plugin-test on every plugin', () => {
  for (const target of TARGETS) {
    test(target.name, async () => {
      const { dir, cleanup } = scratch('openlsm-conformance-');
      let served: Served | undefined;
      try {
        served = await target.serve(dir);
        const argv = ['--uri', served.uri];
        if (served.password !== undefined) argv.push('--password-file', passwordFile(dir, served.password));
        const { run, report } = await pluginTestJson(argv, served.env);
        const failed = report.results.filter((r) => r.status === 'fail').map((r) => `${r.id}: ${r.message}`);
        assert.deepEqual(failed, [], `failed checks:\n${failed.join('\n')}\nstderr: ${run.stderr}`);
        assert.equal(run.code, 0);
        const passed = new Set(report.results.filter((r) => r.status === 'pass').map((r) => r.id));
        for (const id of target.mustPass) assert.ok(passed.has(id), `${id} did not pass (${report.results.find((r) => r.id === id)?.status ?? 'not run'})`);
        for (const r of report.results.filter((x) => x.status === 'skip')) {
          assert.ok(r.missing?.length || r.message, `skipped check ${r.id} says neither which capability gates it nor why`);
        }
        assert.deepEqual(await leftovers(served.uri, served.password, served.env), [], 'the run left objects behind');
      } finally {
        try {
          await served?.stop?.();
        } finally {
          cleanup();
        }
      }
    });
  }
});
