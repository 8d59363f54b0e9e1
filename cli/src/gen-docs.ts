/** Prints docs/cli.md: `node cli/dist/gen-docs.js > docs/cli.md`. */
import { renderCliDoc } from './docs.js';

process.stdout.write(renderCliDoc());
