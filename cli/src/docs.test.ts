import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { commands } from './args/table.js';
import { renderBashCompletion } from './completion.js';
import { renderCliDoc } from './docs.js';

const root = (rel: string) => fileURLToPath(new URL(`../../${rel}`, import.meta.url));

describe('generated files', () => {
  test('docs/cli.md is the generated reference (regenerate: node cli/dist/gen-docs.js > docs/cli.md)', () => {
    assert.equal(readFileSync(root('docs/cli.md'), 'utf8'), renderCliDoc());
  });

  test('cli/completion/lsmcli.bash is generated (regenerate: node cli/dist/gen-completion.js > cli/completion/lsmcli.bash)', () => {
    assert.equal(readFileSync(root('cli/completion/lsmcli.bash'), 'utf8'), renderBashCompletion());
  });

  test('the reference has a section for every command and the completion knows every command', () => {
    const doc = renderCliDoc();
    const completion = renderBashCompletion();
    for (const c of commands) {
      assert.ok(doc.includes(`### ${c.name}`), c.name);
      assert.ok(completion.includes(c.name), c.name);
    }
  });
});
