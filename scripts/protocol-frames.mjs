#!/usr/bin/env node
// Prints the generated parts of docs/protocol.md (example frames from the real encoder; the method, object,
// capability, error and constant tables from @openlsm/core); run `npx tsc -b test` first.
//   node scripts/protocol-frames.mjs                  every example frame and every table
//   node scripts/protocol-frames.mjs error-response   one frame
//   node scripts/protocol-frames.mjs methods          one table (methods, objects, capabilities, errors, constants)
import { docBlock, docTable, docTableNames, protocolExamples } from '../test/dist/foundation/protocol-doc.js';

const names = process.argv.slice(2);
for (const name of names.length ? names : [...Object.keys(protocolExamples), ...docTableNames]) {
  console.log(`${docTableNames.includes(name) ? docTable(name) : docBlock(name)}\n`);
}
