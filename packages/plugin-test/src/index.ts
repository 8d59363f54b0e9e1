/**
 * lsm's conformance checks for any openlsm plugin, as a library (the `openlsm-plugin-test` command wraps it).
 *
 * ```ts
 * import { runConformance } from '@openlsm/plugin-test';
 * const report = await runConformance({ uri: 'sim://', onResult: (r) => console.log(r.status, r.id) });
 * if (report.failed > 0) process.exitCode = 1;
 * ```
 */
export { allChecks, runConformance, type CheckResult, type ConformanceOptions, type ConformanceReport } from './runner.js';
export type { Check, CheckContext } from './check.js';
export { formatHeader, formatReport, formatResult } from './report.js';
