/**
 * openlsm as a user gets it, outside the workspace. Every published package is packed with `npm pack`; then,
 * in fresh directories under the system's temp directory:
 * 1. the tarballs are installed into a new project (npm fetches third-party packages from the npm registry or
 *    its cache), where the README's SDK example runs as .mjs and compiled from .ts with tsc, and `lsmcli -u
 *    sim:// lp`, `openlsmd --help` and `openlsm-plugin-test` work;
 * 2. docs/plugin-writing.md is followed literally, block by block (doc-steps.ts), installing our packages
 *    from a stand-in registry that serves the tarballs (fixtures/npm-registry.ts): the plugin builds and
 *    passes its tests, lsmcli runs it, the conformance suite passes, openlsmd serves it, npm packs it;
 * 3. `npm init @openlsm/plugin` makes a plugin of another name, which does the same out of the box.
 * better-sqlite3's install script is served a local prebuild of the workspace's own module (pack.ts says why).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Registry, startRegistry } from '../fixtures/npm-registry.js';
import { runProcess } from '../fixtures/run-process.js';
import { parseCommand, runSteps, type Step, walkthroughSteps } from './doc-steps.js';
import { betterSqlitePrebuild, npm, npmEnv, type Packed, packAll } from './pack.js';
import { published, repoRoot, rootManifest } from './workspaces.js';

const INSTALL_MS = 300_000;

/** The first `ts` block of the README's "Using the SDK" section. */
function readmeSdkExample(): string {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## Using the SDK'));
  const block = /```ts\n([\s\S]*?)\n```/.exec(section);
  assert.ok(block, 'README.md has a ts block under "Using the SDK"');
  return `${block[1]}\n`;
}

function mustSucceed(what: string, r: { code: number | null; stdout: string; stderr: string }): string {
  assert.equal(r.code, 0, `${what} exited with ${r.code}\nstdout: ${r.stdout.slice(-3000)}\nstderr: ${r.stderr.slice(-3000)}`);
  return r.stdout;
}

describe('openlsm outside the workspace', () => {
  let work: string;
  let packed: Packed[];
  let installEnv: NodeJS.ProcessEnv;

  before(async () => {
    work = mkdtempSync(path.join(os.tmpdir(), 'openlsm-outside-'));
    assert.ok(!path.resolve(work).startsWith(path.resolve(repoRoot)), 'the temp directory is outside the workspace');
    packed = await packAll(path.join(work, 'tarballs'));
    installEnv = npmEnv({ ...betterSqlitePrebuild(path.join(work, 'prebuilds')), LSM_UDS_PATH: path.join(work, 'no-daemon'), LSM_SIM_TIME: '0' });
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  test('npm pack ships what a user needs and nothing else', () => {
    assert.deepEqual(packed.map((p) => p.name).sort(), published.map((w) => w.manifest.name).sort(), 'every published package was packed');
    for (const p of packed) {
      for (const required of ['package.json', 'README.md', 'LICENSE']) assert.ok(p.files.includes(required), `${p.name} ships ${required}`);
      const main = p.manifest.main as string;
      assert.ok(p.files.includes(main.replace(/^\.\//, '')), `${p.name} ships its main ${main}`);
      for (const bin of Object.values((p.manifest.bin ?? {}) as Record<string, string>)) assert.ok(p.files.includes(bin), `${p.name} ships its bin ${bin}`);
      const extra = p.files.filter((f) => /\.test\.|test-helpers|fake-|\.map$|tsbuildinfo|(^|\/)src\/.*(?<!\.d)\.ts$/.test(f) && !f.startsWith('template/'));
      assert.deepEqual(extra, [], `${p.name} ships test or build files`);
    }
  });

  test('the tarballs install into a fresh project; the README\'s SDK example, lsmcli, openlsmd and openlsm-plugin-test work there', { timeout: INSTALL_MS * 2 }, async () => {
    const project = path.join(work, 'project');
    mkdirSync(project);
    writeFileSync(path.join(project, 'package.json'), `${JSON.stringify({ name: 'openlsm-outside-test', version: '0.0.0', private: true, type: 'module' }, null, 2)}\n`);
    const dev = rootManifest.devDependencies ?? {};
    mustSucceed('npm install', await runProcess(npm, ['install', ...packed.map((p) => p.file), `typescript@${dev.typescript}`, `@types/node@${dev['@types/node']}`], { cwd: project, env: installEnv }));
    const env = (state: string) => ({ ...installEnv, LSM_SIM_DATA: path.join(work, `${state}.sqlite3`) });
    const bin = (name: string) => path.join(project, 'node_modules', '.bin', name);

    const example = readmeSdkExample();
    writeFileSync(path.join(project, 'example.mjs'), example);
    const asMjs = mustSucceed('the README example (.mjs)', await runProcess(process.execPath, ['example.mjs'], { cwd: project, env: env('mjs') }));
    assert.match(asMjs, /^VOL_ID_\w+ 10737418240n?$/m);

    writeFileSync(path.join(project, 'example.ts'), example);
    writeFileSync(path.join(project, 'tsconfig.json'), `${JSON.stringify({
      compilerOptions: { target: 'es2023', lib: ['es2023'], module: 'node20', types: ['node'], strict: true, skipLibCheck: false },
      files: ['example.ts'],
    }, null, 2)}\n`);
    mustSucceed('tsc', await runProcess(bin('tsc'), [], { cwd: project, env: installEnv }));
    const compiled = mustSucceed('the README example (compiled)', await runProcess(process.execPath, ['example.js'], { cwd: project, env: env('ts') }));
    assert.match(compiled, /^VOL_ID_\w+ 10737418240n?$/m);

    const pools = mustSucceed('lsmcli -u sim:// lp', await runProcess(bin('lsmcli'), ['-u', 'sim://', 'lp'], { cwd: project, env: env('cli') }));
    assert.match(pools, /^POOL_ID_00004 /m);
    assert.match(mustSucceed('openlsmd --help', await runProcess(bin('openlsmd'), ['--help'], { cwd: project, env: installEnv })), /^usage: openlsmd /);
    const conformance = mustSucceed('openlsm-plugin-test', await runProcess(bin('openlsm-plugin-test'), ['--uri', 'sim://', '--only', 'volume_create'], { cwd: project, env: env('conformance') }));
    assert.match(conformance, /^PASS {2}4 passed, 0 failed, 0 skipped$/m);

    // One install for everything: the SDK, its errors and constants, the kit, the local-disk API, all from `openlsm`.
    writeFileSync(path.join(project, 'reexports.mjs'), `import * as openlsm from 'openlsm';
import * as client from '@openlsm/client';
import { runPlugin } from 'openlsm/plugin';
const disks = await openlsm.listLocalDisks();
console.log(JSON.stringify({
  client: openlsm.Client === client.Client, error: new openlsm.LsmError(openlsm.ErrorNumber.NOT_FOUND_VOLUME, 'x').code,
  kit: typeof runPlugin, disks: Array.isArray(disks), sim: openlsm.findPluginExecutable('sim'),
}));
`);
    const exported = JSON.parse(mustSucceed('openlsm re-exports', await runProcess(process.execPath, ['reexports.mjs'], { cwd: project, env: installEnv }))) as Record<string, unknown>;
    assert.deepEqual(exported, { client: true, error: 205, kit: 'function', disks: true, sim: bin('sim_lsmplugin') });
  });

  describe('the plugin writers\' kit, from the npm registry', () => {
    let registry: Registry;
    let env: NodeJS.ProcessEnv;
    before(async () => {
      registry = await startRegistry(packed);
      env = npmEnv({ 'npm_config_@openlsm:registry': `${registry.url}/`, LSM_UDS_PATH: path.join(work, 'no-daemon') });
    });
    after(() => registry.close());

    test('following docs/plugin-writing.md literally gives a plugin that lsmcli and openlsmd serve and the conformance suite passes', { timeout: INSTALL_MS * 2 }, async () => {
      const dir = path.join(work, 'demo-plugin');
      mkdirSync(dir);
      const steps = walkthroughSteps(readFileSync(path.join(repoRoot, 'docs/plugin-writing.md'), 'utf8'));
      const followed = await runSteps(steps, dir, env, INSTALL_MS);
      try {
        const output = (pattern: RegExp) => {
          const r = followed.results.find((x) => pattern.test(x.command.line));
          assert.ok(r, `a step matches ${pattern}`);
          return r;
        };
        assert.match(output(/lsmcli .*list --type pools$/).stdout, /^DEMO_POOL_1 /m);
        assert.match(output(/lsmcli .*list --type volumes$/).stdout, /^DEMO_VOL_1 /m);
        const conformance = output(/openlsm-plugin-test/).stdout;
        assert.match(conformance, /^pass {2}volumes \[demo-01\] /m);
        assert.match(conformance, /^PASS {2}\d+ passed, 0 failed, \d+ skipped$/m);
        // Through the daemon: that step has no OPENLSM_PLUGIN_DIR, so only openlsmd's socket can reach the plugin.
        const served = followed.results.find((x) => x.command.background);
        assert.match(served?.stderr ?? '', /"message":"serving plug-in".*"demo"/);
        assert.match(output(/^LSM_UDS_PATH=ipc .*lsmcli/).stdout, /^DEMO_POOL_1 /m);
        assert.ok(existsSync(path.join(dir, 'openlsm-plugin-demo-0.1.0.tgz')), 'npm pack made the package');
      } finally {
        await followed.stop();
      }
      assert.ok(registry.requests.some((r) => r.startsWith('GET /@openlsm%2fplugin')), 'npm asked the registry for @openlsm/plugin');
    });

    test('npm init @openlsm/plugin makes a plugin that builds, tests and runs with lsmcli as it says', { timeout: INSTALL_MS * 2 }, async () => {
      const dir = path.join(work, 'generated');
      mkdirSync(dir);
      // npm keeps what `npm init` runs in its cache's _npx by package name; a cache of this run's own makes sure
      // the generator is this build's, not one installed by an earlier run.
      const initEnv = { ...env, npm_config_yes: 'true', npm_config_cache: path.join(work, 'npx-cache') };
      const init = mustSucceed('npm init @openlsm/plugin', await runProcess(npm, ['init', '@openlsm/plugin', 'acme-plugin'], { cwd: dir, env: initEnv }));
      // Its "Next:" lines are the steps; `cd` says where.
      const next = init.slice(init.indexOf('Next:\n') + 6).split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
      assert.equal(next[0], 'cd acme-plugin');
      const steps: Step[] = next.slice(1).map((line) => ({ kind: 'command', command: parseCommand(line) }));
      const followed = await runSteps(steps, path.join(dir, 'acme-plugin'), env, INSTALL_MS);
      await followed.stop();
      assert.match(followed.results.at(-1)?.stdout ?? '', /^ACME_POOL_1 /m);
      assert.match(followed.results.find((r) => r.command.line === 'npm test')?.stdout ?? '', /# pass 3/);
    });
  });
});
