/**
 * `tgt-to-lio` from start to end: read tgtd (and the secrets it does not reveal), look at LIO, plan, and unless
 * this is a dry run or something is refused, apply and save. tgtd is only read, never changed: the admin stops
 * it once LIO serves (docs/migrate-tgt-to-lio.md).
 */
import fs from 'node:fs';
import { ErrorNumber, LsmError } from '@openlsm/core';
import type { Logger } from '@openlsm/log';
import { loadConfig as loadLioConfig, LioSession } from '@openlsm/plugin-lio';
import { applyPlan, lioInventory } from './apply.js';
import { type BackingKind, type Plan, planMigration } from './plan.js';
import { readTgt, type TgtSourceOptions } from './tgt-source.js';

export interface MigrateOptions extends TgtSourceOptions {
  /** lio:// parameters: config (lio.yaml), configfs, saveconfig, state. */
  lio: Record<string, string>;
  /** Portals for the LIO targets instead of tgtd's ([] for none). */
  portals?: string[];
  dryRun?: boolean;
}

export interface MigrateResult {
  source: string;
  configfs: string;
  saveconfig: string;
  plan: Plan;
  applied: boolean;
}

/** What a backing path is: a file (with its size), a block device, missing, or something else. */
export function backingOf(file: string): BackingKind {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'other', what: `unreadable (${(err as NodeJS.ErrnoException).code ?? String(err)})` };
  }
  if (st.isFile()) return { kind: 'file', sizeBytes: BigInt(st.size) };
  if (st.isBlockDevice()) return { kind: 'block' };
  return { kind: 'other', what: st.isDirectory() ? 'a directory' : st.isCharacterDevice() ? 'a character device' : 'not a regular file' };
}

/** The refusals of a plan as one LsmError, each on its own line with the target it concerns. */
export function refusalError(plan: Plan): LsmError {
  const lines = plan.refusals.map((r) => `  ${r.target === 'tgtd' ? 'tgtd' : `target ${r.target}`}: ${r.reason}`);
  return new LsmError(plan.refusals[0]?.code ?? ErrorNumber.NO_SUPPORT,
    `LIO cannot take ${plan.refusals.length} item(s) of tgtd's configuration as they are; nothing was changed:\n${lines.join('\n')}`);
}

export async function migrateTgtToLio(options: MigrateOptions, log: Logger): Promise<MigrateResult> {
  const lioConfig = loadLioConfig(options.lio);
  const snapshot = await readTgt(options);
  log.info('read tgtd', { socket: snapshot.socket, targets: snapshot.targets.length, secretsFrom: snapshot.secretFiles });
  const session = await LioSession.open(lioConfig, log, { autoRestore: false });
  try {
    const saved = session.readSaveConfig();
    if (session.isTreeEmpty() && saved !== undefined && (saved.targets.length > 0 || saved.storage_objects.length > 0)) {
      throw new LsmError(ErrorNumber.INVALID_ARGUMENT,
        `LIO holds nothing, but ${lioConfig.saveconfig} holds a saved configuration: restore it first ("openlsm-lio restore" or "targetctl restore"), or the migration would save over it`);
    }
    const plan = planMigration(snapshot, await lioInventory(session), backingOf, options.portals === undefined ? {} : { portals: options.portals });
    const result: MigrateResult = { source: snapshot.socket, configfs: lioConfig.configfs, saveconfig: lioConfig.saveconfig, plan, applied: false };
    if (plan.refusals.length > 0 || options.dryRun || plan.targets.length === 0) return result;
    await applyPlan(session, plan);
    log.info('migrated tgtd to LIO', { targets: plan.targets.length, storageObjects: plan.storageObjects.length });
    result.applied = true;
    return result;
  } finally {
    await session.close();
  }
}
