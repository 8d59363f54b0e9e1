/**
 * Running the built `openlsm-plugin-test` as a user would (a fresh process, no shell) and reading its JSON
 * report; and finding what a run left behind on the array.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConformanceReport } from '@openlsm/plugin-test';
import { Client, isSupported, Capability } from '@openlsm/client';
import { type ProcessResult, runNode } from '../fixtures/run-process.js';

export const PLUGIN_TEST = fileURLToPath(new URL('../../../packages/plugin-test/bin/openlsm-plugin-test.js', import.meta.url));

export type Run = ProcessResult;

export function pluginTest(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return runNode(PLUGIN_TEST, argv, { env });
}

export async function pluginTestJson(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<{ run: Run; report: ConformanceReport }> {
  const run = await pluginTest([...argv, '--json'], env);
  try {
    return { run, report: JSON.parse(run.stdout) as ConformanceReport };
  } catch {
    throw new Error(`openlsm-plugin-test printed no JSON report (exit ${run.code})\nstdout: ${run.stdout}\nstderr: ${run.stderr}`);
  }
}

/** A private directory for one target, removed by `cleanup`. */
export function scratch(prefix: string): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A plugin directory holding `<name>_lsmplugin`, a symlink to `target` (made executable). */
export function pluginDir(dir: string, name: string, target: string): string {
  chmodSync(target, 0o755);
  const bin = path.join(dir, 'plugins');
  mkdirSync(bin, { recursive: true });
  symlinkSync(target, path.join(bin, `${name}_lsmplugin`));
  return bin;
}

/** Writes the password file openlsm-plugin-test reads (mode 0600). */
export function passwordFile(dir: string, password: string): string {
  const file = path.join(dir, 'password');
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return file;
}

/** Objects named `olsmct_*` (what the suite creates) that the plugin still lists. */
export async function leftovers(uri: string, password: string | undefined, env: NodeJS.ProcessEnv): Promise<string[]> {
  const client = await Client.connect(uri, { password: password ?? null, env });
  try {
    const found: string[] = [];
    for (const system of await client.systems()) {
      const caps = await client.capabilities({ system });
      const has = (n: number) => isSupported(caps, n);
      const named = (kind: string, objects: { id: string; name: string }[]) => {
        for (const o of objects) if (o.name.startsWith('olsmct_')) found.push(`${kind} ${o.name} (${o.id})`);
      };
      if (has(Capability.VOLUMES)) named('volume', await client.volumes({ search_key: 'system_id', search_value: system.id }));
      if (has(Capability.ACCESS_GROUPS)) named('access group', await client.accessGroups({ search_key: 'system_id', search_value: system.id }));
      if (has(Capability.FS)) {
        const fss = await client.fs({ search_key: 'system_id', search_value: system.id });
        named('file system', fss);
        if (has(Capability.FS_SNAPSHOTS)) for (const fs of fss) named(`snapshot of ${fs.id}`, await client.fsSnapshots({ fs }));
      }
      if (has(Capability.EXPORTS)) {
        for (const e of await client.exports()) if (e.export_path.includes('olsmct_')) found.push(`export ${e.export_path} (${e.id})`);
      }
    }
    return found;
  } finally {
    await client.close();
  }
}
