#!/usr/bin/env node
// Prints the generated parts of docs/protocol.md (example frames from the real encoder, the method and object
// tables from the RPC table); run `npx tsc -b test` first.
//   node scripts/protocol-frames.mjs                  every example frame and both tables
//   node scripts/protocol-frames.mjs error-response   one frame
//   node scripts/protocol-frames.mjs methods          one table (methods or objects)
import { docBlock, docTable, protocolExamples } from '../test/dist/foundation/protocol-doc.js';

const names = process.argv.slice(2);
for (const name of names.length ? names : [...Object.keys(protocolExamples), 'methods', 'objects']) {
  console.log(`${name === 'methods' || name === 'objects' ? docTable(name) : docBlock(name)}\n`);
}
