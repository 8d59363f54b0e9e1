/** The plan and its outcome for people (text) and for programs (JSON); neither ever holds a CHAP secret. */
import type { MigrateResult } from './migrate.js';

function size(bytes: bigint): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = Number(bytes);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

export function formatText(result: MigrateResult, dryRun: boolean): string {
  const { plan } = result;
  const out: string[] = [`tgtd ${result.source} -> LIO ${result.configfs} (saveconfig ${result.saveconfig})`];
  out.push(`portals: ${plan.portals.join(', ') || 'none'}`);
  const objects = new Map(plan.storageObjects.map((so) => [`${so.plugin}/${so.name}`, so]));
  for (const t of plan.targets) {
    out.push(`target ${t.tgtName} (tid ${t.tid}) -> iscsi/${t.iqn} tpg 1${t.tag ? `, ACL tag ${t.tag}` : ''}`);
    for (const l of t.luns) {
      const so = objects.get(l.storageObject);
      const shown = so?.plugin === 'fileio' ? ` (${size(so.sizeBytes)})` : '';
      out.push(`  LUN ${l.lun}: ${l.path} -> ${l.storageObject}${shown}${l.readonly ? ', read-only' : ''}`);
    }
    for (const node of t.initiators) out.push(`  initiator ${node}`);
    if (t.initiators.length === 0) out.push('  no initiator is allowed (as on tgtd)');
    if (t.inUser !== null) out.push(`  CHAP: incoming user ${t.inUser}${t.outUser !== null ? `, outgoing (mutual) user ${t.outUser}` : ''}`);
  }
  for (const note of plan.notes) out.push(`note: ${note}`);
  for (const r of plan.refusals) out.push(`refused: ${r.target === 'tgtd' ? 'tgtd' : `target ${r.target}`}: ${r.reason}`);
  if (plan.refusals.length > 0) out.push('nothing was changed');
  else if (plan.targets.length === 0) out.push('tgtd serves no target: nothing to migrate');
  else if (dryRun) out.push(`dry run: nothing was changed (${plan.targets.length} target(s), ${plan.storageObjects.length} storage object(s) would be made)`);
  else if (result.applied) out.push(`migrated ${plan.targets.length} target(s) and ${plan.storageObjects.length} storage object(s); LIO read back the same; saved ${result.saveconfig}; tgtd was not changed`);
  return `${out.join('\n')}\n`;
}

export function formatJson(result: MigrateResult): string {
  const { plan } = result;
  return `${JSON.stringify({
    source: result.source,
    configfs: result.configfs,
    saveconfig: result.saveconfig,
    applied: result.applied,
    portals: plan.portals,
    targets: plan.targets,
    storage_objects: plan.storageObjects.map((so) => ({ ...so, sizeBytes: so.sizeBytes.toString() })),
    notes: plan.notes,
    refusals: plan.refusals.map((r) => ({ target: r.target, reason: r.reason, code: r.code })),
  }, null, 2)}\n`;
}
