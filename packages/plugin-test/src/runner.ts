/**
 * Runs the checks against one plugin: connects as any client would, reads each system's capabilities, runs
 * every check whose capabilities are claimed (skipping the others, naming what they need), cleans up after
 * each, and reports. A plugin that dies mid-run is reconnected for the checks that follow.
 */
import { randomBytes } from 'node:crypto';
import {
  type Capabilities, capabilitiesOf, type CapabilityName, Client, formatUriForLog, type Pool, type System,
} from '@openlsm/client';
import { type Check, CheckFailure, type CheckContext, CheckSkipped, Cleanup, describeError, supports } from './check.js';
import { accessChecks } from './checks-access.js';
import { fsChecks } from './checks-fs.js';
import { listingChecks } from './checks-listings.js';
import { sessionChecks } from './checks-session.js';
import { volumeChecks } from './checks-volumes.js';
import { openRawSession } from './raw-session.js';

/** Every check, in the order they run. */
export const allChecks: readonly Check[] = [...sessionChecks, ...listingChecks, ...volumeChecks, ...accessChecks, ...fsChecks];

export interface ConformanceOptions {
  uri: string;
  password?: string | null;
  /** Per call (default 30,000 ms). */
  timeoutMs?: number;
  /** Where plugins and the daemon's socket are looked for, and what an embedded plugin inherits. */
  env?: NodeJS.ProcessEnv;
  /** Only the checks whose id contains one of these. */
  only?: readonly string[];
  /** Called once the plugin is registered and has told its name (before any check). */
  onConnected?: (plugin: { description: string; version: string }) => void;
  /** Called as each check finishes. */
  onResult?: (result: CheckResult) => void;
}

export interface CheckResult {
  id: string;
  title: string;
  /** The system the check ran on (undefined for session checks). */
  system: string | undefined;
  status: 'pass' | 'fail' | 'skip';
  /** Why it failed or was skipped. */
  message?: string;
  /** For a skip: the capabilities the system does not claim. */
  missing?: CapabilityName[];
}

export interface ConformanceReport {
  uri: string;
  plugin: { description: string; version: string } | undefined;
  results: CheckResult[];
  passed: number;
  failed: number;
  skipped: number;
}

/** Stands for the system of session checks when the plugin lists none (they never look at it). */
const NO_SYSTEM: System = { id: '', name: '', status: 1, status_info: '', plugin_data: null, fw_version: '', read_cache_pct: -2, mode: -2 };

interface Target {
  system: System;
  caps: Capabilities;
  pools: Pool[];
}

export async function runConformance(options: ConformanceOptions): Promise<ConformanceReport> {
  const env = options.env ?? process.env;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const password = options.password ?? null;
  const results: CheckResult[] = [];
  const report = (r: CheckResult) => {
    results.push(r);
    options.onResult?.(r);
  };
  const done = (plugin: ConformanceReport['plugin']): ConformanceReport => ({
    uri: formatUriForLog(options.uri),
    plugin,
    results,
    passed: results.filter((r) => r.status === 'pass').length,
    failed: results.filter((r) => r.status === 'fail').length,
    skipped: results.filter((r) => r.status === 'skip').length,
  });
  const connect = () => Client.connect(options.uri, { password, timeoutMs, env });

  let client: Client;
  // Set when the plugin's connection ends before we close it (the plugin crashed or quit).
  let lost = false;
  const watch = (c: Client): Client => {
    lost = false;
    void c.closed.then(() => { if (c === client) lost = true; });
    return c;
  };
  const renew = async (): Promise<void> => {
    if (!lost) return;
    await client.close().catch(() => undefined);
    client = watch(await connect());
  };
  let plugin: ConformanceReport['plugin'];
  const targets: Target[] = [];
  try {
    client = watch(await connect());
    const [description, version] = await client.pluginInfo();
    plugin = { description, version };
    options.onConnected?.(plugin);
    const [systems, pools] = await Promise.all([client.systems(), client.pools()]);
    for (const system of systems) {
      targets.push({ system, caps: await client.capabilities({ system }), pools: pools.filter((p) => p.system_id === system.id) });
    }
  } catch (err) {
    report({ id: 'connect', title: 'the plugin registers a session and lists its systems, capabilities and pools', system: undefined, status: 'fail', message: describeError(err) });
    return done(undefined);
  }

  // Session and protocol checks need no system; with none they still run, and the missing systems are a failure.
  const sessionTarget: Target = targets[0] ?? { system: NO_SYSTEM, caps: capabilitiesOf([]), pools: [] };
  if (targets.length === 0) {
    report({ id: 'systems', title: 'systems lists at least one system', system: undefined, status: 'fail', message: 'systems() is empty: a plugin serves at least one system' });
  }
  const run = `${randomBytes(3).toString('hex')}`;
  let serial = 0;
  const systems = targets.map((t) => t.system);
  const checks = allChecks.filter((c) => !options.only || options.only.some((s) => c.id.includes(s)));
  try {
    for (const check of checks) {
      for (const target of check.once ? [sessionTarget] : targets) {
        const system = check.once ? undefined : target.system.id;
        const missing = check.needs.filter((n) => !supports(target.caps, n));
        if (missing.length > 0) {
          report({ id: check.id, title: check.title, system, status: 'skip', missing });
          continue;
        }
        try {
          await renew();
        } catch (err) {
          report({ id: check.id, title: check.title, system, status: 'fail', message: `the plugin could not be reconnected: ${describeError(err)}` });
          continue;
        }
        const cleanup = new Cleanup();
        const ctx: CheckContext = {
          // Read at each use, so that undo steps run on the client of the moment.
          get client() { return client; },
          system: target.system,
          systems,
          pools: target.pools,
          caps: target.caps,
          cleanup,
          name: (kind) => `olsmct_${kind}_${run}${(++serial).toString(36)}`,
          raw: (o = {}) => openRawSession({ uri: options.uri, password, timeoutMs, env }, o.register ?? false),
          supports: (n) => supports(target.caps, n),
        };
        let outcome: Pick<CheckResult, 'status' | 'message'>;
        try {
          await check.run(ctx);
          outcome = { status: 'pass' };
        } catch (err) {
          outcome = err instanceof CheckSkipped
            ? { status: 'skip', message: err.message }
            : { status: 'fail', message: err instanceof CheckFailure ? err.message : `unexpected ${describeError(err)}` };
        }
        await renew().catch(() => undefined);
        const left = await cleanup.run();
        if (left.length > 0) {
          outcome = { status: 'fail', message: [outcome.message, `left behind: ${left.join('; ')}`].filter(Boolean).join('; ') };
        }
        report({ id: check.id, title: check.title, system, ...outcome });
      }
    }
  } finally {
    await client.close();
  }
  return done(plugin);
}
