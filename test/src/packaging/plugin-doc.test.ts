/**
 * docs/plugin-writing.md and the plugin template say the same thing: the walkthrough's files are the
 * template's files (so following the doc, which outside.test.ts does, also proves what `npm init
 * @openlsm/plugin` writes), its commands can be typed without a shell, and its versions are the workspace's.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { parseCommand, walkthroughSteps } from './doc-steps.js';
import { readManifest, repoRoot, rootManifest, workspaces } from './workspaces.js';

const doc = readFileSync(path.join(repoRoot, 'docs/plugin-writing.md'), 'utf8');
const templateDir = path.join(repoRoot, 'packages/create-plugin/template');
/** Files the doc has the reader write that the template does not ship (a password is not a template's business). */
const DOC_ONLY = new Set(['.password']);

function templateFiles(dir = templateDir, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? templateFiles(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]);
}

describe('docs/plugin-writing.md', () => {
  const steps = walkthroughSteps(doc);
  const files = new Map(steps.flatMap((s) => (s.kind === 'file' ? [[s.path, s.content] as const] : [])));
  const commands = steps.flatMap((s) => (s.kind === 'command' ? [s.command] : []));

  test('its walkthrough files are the template\'s files, byte for byte', () => {
    const shipped = templateFiles().filter((f) => f !== 'README.md');
    for (const f of shipped) {
      const inDoc = f === 'gitignore' ? '.gitignore' : f;
      assert.ok(files.has(inDoc), `the template's ${f} is not in the walkthrough`);
      assert.equal(files.get(inDoc), readFileSync(path.join(templateDir, f), 'utf8'), `the walkthrough's ${inDoc} differs from the template's ${f}`);
    }
    for (const f of files.keys()) {
      assert.ok(DOC_ONLY.has(f) || shipped.includes(f === '.gitignore' ? 'gitignore' : f), `the walkthrough writes ${f}, which the template lacks`);
    }
  });

  test('its commands install, build, test, run with lsmcli, check, serve and pack the plugin', () => {
    const lines = commands.map((c) => c.argv.join(' '));
    for (const wanted of [/^npm install$/, /^npm test$/, /^npx lsmcli -u demo:\/\//, /^npx openlsm-plugin-test --uri demo:\/\//, /^node_modules\/\.bin\/openlsmd /, /^npm pack$/]) {
      assert.ok(lines.some((l) => wanted.test(l)), `no step runs ${wanted}`);
    }
    assert.ok(commands.some((c) => c.background && c.waitFor === 'openlsmd started'));
    assert.ok(commands.filter((c) => c.argv.includes('lsmcli')).every((c) => c.env.LSMCLI_PASSWORD !== undefined), 'every lsmcli step gives the password');
  });

  test('the template pins the workspace\'s versions', () => {
    const manifest = readManifest(templateDir) as ReturnType<typeof readManifest> & { devDependencies: Record<string, string> };
    const own = new Map(workspaces.map((w) => [w.manifest.name, w.manifest.version]));
    for (const [pkg, range] of Object.entries({ ...manifest.dependencies, ...manifest.devDependencies })) {
      if (pkg.startsWith('@openlsm/')) assert.equal(range, `~${own.get(pkg)}`, pkg);
      else assert.equal(range, rootManifest.devDependencies?.[pkg], `${pkg} as the workspace pins it`);
    }
  });
});

describe('walkthrough commands', () => {
  test('assignments, words, quotes and a background & are understood', () => {
    const c = parseCommand("A=1 B='x y' npx lsmcli -u 'demo://a b' lp &   # wait for \"ready now\"");
    assert.deepEqual(c.env, { A: '1', B: 'x y' });
    assert.deepEqual(c.argv, ['npx', 'lsmcli', '-u', 'demo://a b', 'lp']);
    assert.equal(c.background, true);
    assert.equal(c.waitFor, 'ready now');
  });

  test('what needs a shell is refused', () => {
    for (const line of ['ls | wc', 'echo x > f', 'echo $HOME', 'a && b', 'a; b', 'ls *.ts', 'sleep 1 &', 'FOO=1']) {
      assert.throws(() => parseCommand(line), Error, line);
    }
  });

  test('an unlabelled block in the walkthrough is refused', () => {
    assert.throws(() => walkthroughSteps('# x\n\nSome code:\n```ts\nlet a = 1;\n```\n'), /neither a file/);
    assert.deepEqual(walkthroughSteps('# x\n\n## Reference\n\n```ts\nlet a = 1;\n```\n'), []);
  });
});
