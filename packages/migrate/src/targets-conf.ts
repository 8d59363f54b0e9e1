/**
 * CHAP secrets from tgt-admin's configuration (`/etc/tgt/targets.conf` and the files it includes), for the
 * accounts tgtd serves that openlsm's tgt state does not know: tgtd lists account names, never their secrets.
 * Only `incominguser USER SECRET` and `outgoinguser USER SECRET` lines are read; the rest of the file (targets,
 * backing stores) is what tgtd itself reports, which is the truth this tool works from.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ErrorNumber, LsmError } from '@openlsm/core';

const ACCOUNT_RE = /^\s*(incominguser|outgoinguser)\s+(\S+)\s+(\S+)\s*$/i;
const INCLUDE_RE = /^\s*include\s+(\S+)\s*$/i;
/** What `tgt-admin --dump` writes for every secret: not a secret, so the account's secret stays unknown. */
export const DUMP_PLACEHOLDER = 'PLEASE_CORRECT_THE_PASSWORD';
/** Deeper include chains than this are a loop or a mistake. */
const MAX_INCLUDE_DEPTH = 8;

export interface SecretSource {
  /** User name to secret. */
  secrets: Map<string, string>;
  /** User names given two different secrets (in different places): not usable. */
  conflicting: Set<string>;
}

export function emptySecrets(): SecretSource {
  return { secrets: new Map(), conflicting: new Set() };
}

/** Adds `user`'s secret; a second, different secret for the same user makes it conflicting. */
export function addSecret(into: SecretSource, user: string, secret: string): void {
  const known = into.secrets.get(user);
  if (known !== undefined && known !== secret) into.conflicting.add(user);
  else into.secrets.set(user, secret);
}

/** Parses one file's text (no includes followed); `where` labels nothing secret. */
export function parseTargetsConfText(text: string, into: SecretSource = emptySecrets()): { source: SecretSource; includes: string[] } {
  const includes: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*$/, '');
    const account = ACCOUNT_RE.exec(line);
    if (account) {
      // `tgt-admin --dump` cannot read secrets back from tgtd and writes this in their place.
      if (account[3] !== DUMP_PLACEHOLDER) addSecret(into, account[2] as string, account[3] as string);
      continue;
    }
    const include = INCLUDE_RE.exec(line);
    if (include) includes.push(include[1] as string);
  }
  return { source: into, includes };
}

function globFiles(pattern: string): string[] {
  // tgt-admin's include takes a glob (conf.d/*.conf); a '*' in the last component only, as Debian ships it.
  const dir = path.dirname(pattern);
  const base = path.basename(pattern);
  if (!base.includes('*')) return fs.existsSync(pattern) ? [pattern] : [];
  const re = new RegExp(`^${base.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  try {
    return fs.readdirSync(dir).filter((f) => re.test(f)).sort().map((f) => path.join(dir, f));
  } catch {
    return [];
  }
}

/** Reads `file` and the files it includes. A missing top-level file is an error naming it. */
export function readTargetsConf(file: string, into: SecretSource = emptySecrets(), depth = 0): SecretSource {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `Cannot read tgt-admin's configuration ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  const { includes } = parseTargetsConfText(text, into);
  if (depth >= MAX_INCLUDE_DEPTH) {
    if (includes.length > 0) throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `${file}: includes nest deeper than ${MAX_INCLUDE_DEPTH} levels`);
    return into;
  }
  for (const pattern of includes) {
    const absolute = path.isAbsolute(pattern) ? pattern : path.join(path.dirname(file), pattern);
    for (const f of globFiles(absolute)) readTargetsConf(f, into, depth + 1);
  }
  return into;
}
