/** lsmcli's version: the package's. */
import { readFileSync } from 'node:fs';

export function version(): string {
  try {
    // The same path from dist/ and from the bundle beside it.
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
