/**
 * Where lsmcli's connection settings come from: the URI (`-u`, else $LSMCLI_URI, else `uri=` in ~/.lsmcli),
 * the password (`-P` prompt, else $LSMCLI_PASSWORD) and the timeout (`-w`). Kept free of heavy imports:
 * main.ts uses it before the rest of the CLI is loaded.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { ArgError } from './errors.js';

export const DEFAULT_TIMEOUT_MS = 30_000;

export interface ConnectionSettings {
  uri: string;
  password: string | null;
  timeoutMs: number;
}

/** The `uri=` line of ~/.lsmcli (a file of `key=value` lines), if any. */
export function uriFromConfigFile(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const home = env.HOME || homedir();
  let text: string;
  try {
    text = readFileSync(path.join(home, '.lsmcli'), 'utf8');
  } catch {
    return undefined;
  }
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    if (line.slice(0, eq).trim() === 'uri') {
      const value = line.slice(eq + 1).trim();
      if (value) return value;
    }
  }
  return undefined;
}

/** URI precedence: `-u`, then $LSMCLI_URI, then ~/.lsmcli. */
export function chooseUri(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return flag ?? (env.LSMCLI_URI || undefined) ?? uriFromConfigFile(env);
}

/** `-w` must be a positive integer (milliseconds). */
export function parseWait(text: string | undefined): number {
  if (text === undefined) return DEFAULT_TIMEOUT_MS;
  if (!/^[0-9]{1,10}$/.test(text) || Number(text) <= 0) {
    throw new ArgError('[-w|--wait] requires a non-zero positive integer');
  }
  return Number(text);
}

/** lsm refuses a password for a URI without a user name, since the plugin would have nobody to log in as. */
export function checkPasswordUser(uri: string, password: string | null): void {
  if (password === null) return;
  const m = /^[A-Za-z0-9+._-]+:\/\/([^/?#]*)/.exec(uri);
  const authority = m?.[1] ?? '';
  if (!authority.includes('@')) throw new ArgError('password specified with no user name in uri');
}

/**
 * The environment a plugin process is started with: lsmcli's own, less the password. The password reaches the
 * plugin in `plugin_register` only; it has no business in the child's environment (readable in /proc/<pid>/environ
 * and inherited by whatever the plugin starts).
 */
export function pluginEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const { LSMCLI_PASSWORD: _password, ...rest } = env;
  return rest;
}
