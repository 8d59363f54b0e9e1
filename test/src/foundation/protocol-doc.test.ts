/**
 * docs/protocol.md shows real frames; this keeps them true. If the encoder changes, regenerate the blocks with
 * `node scripts/protocol-frames.mjs` and paste them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeBody, FrameReader } from '@openlsm/ipc';
import { docBlock, docTable, docTableNames, exampleFrame, protocolExamples } from './protocol-doc.js';

const docPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../docs/protocol.md');
const doc = readFileSync(docPath, 'utf8');
const blocks = [...doc.matchAll(/<!-- frame: ([a-z0-9-]+) -->\n```text\n[\s\S]*?\n```/g)];

test('every hex dump in docs/protocol.md is what the encoder produces today', () => {
  assert.ok(blocks.length > 0, 'the doc has frame dumps');
  for (const [block, name] of blocks) {
    assert.equal(block, docBlock(name as string), `the dump of "${name}" in docs/protocol.md is stale: run node scripts/protocol-frames.mjs ${name}`);
  }
});

test('every example frame appears in docs/protocol.md', () => {
  const shown = new Set(blocks.map(([, name]) => name));
  for (const name of Object.keys(protocolExamples)) assert.ok(shown.has(name), `docs/protocol.md lacks the "${name}" frame`);
});

test('the method, object, capability, error and constant tables in docs/protocol.md match @openlsm/core', () => {
  for (const name of docTableNames) {
    const found = new RegExp(`<!-- table: ${name} -->\\n[\\s\\S]*?\\n<!-- /table: ${name} -->`).exec(doc);
    assert.ok(found, `docs/protocol.md lacks the ${name} table`);
    assert.equal(found[0], docTable(name), `the ${name} table in docs/protocol.md is stale: run node scripts/protocol-frames.mjs ${name}`);
  }
});

/** Binary data as a plain list of bytes, so a decoded Buffer compares equal to the Uint8Array that was sent. */
function plain(value: unknown): unknown {
  if (value instanceof Uint8Array) return [...value];
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

test('each example frame decodes back to its message', () => {
  for (const [name, message] of Object.entries(protocolExamples)) {
    const [body, ...rest] = new FrameReader().push(exampleFrame(name));
    assert.equal(rest.length, 0);
    assert.deepEqual(plain(decodeBody(body as Buffer)), plain(message), name);
  }
});
