/**
 * @openlsm/migrate: `openlsm-migrate tgt-to-lio`, which carries a running tgtd's iSCSI configuration over to
 * LIO. The exports are the steps, for embedding and tests: read tgtd, plan, apply.
 */
export { readTgt, type TgtSnapshot, type TgtSourceOptions } from './tgt-source.js';
export { planMigration, type Plan, type PlannedTarget, type Refusal, type LioInventory, type BackingKind } from './plan.js';
export { applyPlan, lioInventory } from './apply.js';
export { migrateTgtToLio, backingOf, refusalError, type MigrateOptions, type MigrateResult } from './migrate.js';
export { readTargetsConf, parseTargetsConfText } from './targets-conf.js';
