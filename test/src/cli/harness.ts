/**
 * Runs the built lsmcli binary as a user would: a fresh Node process per command (no shell), against the
 * simulator on a state file of the test's own, with jobs that finish at once (LSM_SIM_TIME=0).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';
import { runNode } from '../fixtures/run-process.js';

export const LSMCLI = fileURLToPath(new URL('../../../cli/bin/lsmcli.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  /** Written to stdin (then closed); by default stdin is empty. */
  input?: string;
}

/** Runs `lsmcli <argv>`; never throws for a non-zero exit. */
export function lsmcli(argv: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  // The caller's own lsmcli settings must not leak into the tests.
  const { LSMCLI_URI: _uri, LSMCLI_PASSWORD: _password, ...inherited } = process.env;
  return runNode(LSMCLI, argv, { env: { ...inherited, LSM_SIM_TIME: '0', ...options.env }, ...(options.input !== undefined ? { input: options.input } : {}) });
}

/** A simulator of the test's own: `cli(...)` runs lsmcli with `-u <its URI>`. */
export interface Sim {
  uri: string;
  dir: string;
  cli(argv: readonly string[], options?: RunOptions): Promise<CliResult>;
  /** Runs and expects exit 0 and no stderr; returns stdout. */
  ok(argv: readonly string[], options?: RunOptions): Promise<string>;
  /** Runs `-o json <argv>`, expects exit 0, returns the parsed document. */
  json<T = unknown>(argv: readonly string[]): Promise<T>;
}

export function newSim(t: TestContext): Sim {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openlsm-cli-e2e-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const uri = `sim://?statefile=${path.join(dir, 'state.db')}`;
  const cli = (argv: readonly string[], options?: RunOptions) => lsmcli(['-u', uri, ...argv], options);
  const ok = async (argv: readonly string[], options?: RunOptions) => {
    const r = await cli(argv, options);
    if (r.code !== 0 || r.stderr !== '') {
      throw new Error(`lsmcli ${argv.join(' ')} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    }
    return r.stdout;
  };
  const json = async <T>(argv: readonly string[]) => JSON.parse(await ok(['-o', 'json', ...argv])) as T;
  return { uri, dir, cli, ok, json };
}

/** The rows of a column-mode table (header and dashes removed), cells trimmed. */
export function rows(table: string): string[][] {
  return table.split('\n').slice(2).filter((l) => l.length > 0).map((l) => l.split(' | ').map((c) => c.trim()));
}
