/** The human form of a conformance report: one line per check as it finishes, the failures again at the end. */
import type { CheckResult, ConformanceReport } from './runner.js';

const MARK = { pass: 'pass', fail: 'FAIL', skip: 'skip' } as const;

function label(r: CheckResult): string {
  return r.system === undefined ? r.id : `${r.id} [${r.system}]`;
}

/** The first line: which plugin answers the URI. */
export function formatHeader(uri: string, plugin: { description: string; version: string }): string {
  return `plug-in: ${plugin.description} ${plugin.version} (${uri})\n`;
}

/**
 * `pass  volume_create [sim-01]  volume_create makes ...`; a failure says why on the next line; a skip is one
 * line naming the capabilities that gate it (or the precondition the array lacks).
 */
export function formatResult(r: CheckResult): string {
  if (r.status === 'skip') {
    return `${MARK.skip}  ${label(r)}  ${r.missing ? `needs ${r.missing.join(', ')} (not claimed)` : r.message}\n`;
  }
  return `${MARK[r.status]}  ${label(r)}  ${r.title}${r.message ? `\n        ${r.message}` : ''}\n`;
}

export function formatReport(report: ConformanceReport): string {
  const lines: string[] = [''];
  const failed = report.results.filter((r) => r.status === 'fail');
  if (failed.length > 0) {
    lines.push(`failed (${failed.length}):`);
    for (const r of failed) lines.push(`  ${label(r)}: ${r.message}`);
  }
  lines.push(`${report.failed > 0 ? 'FAIL' : 'PASS'}  ${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped`);
  return `${lines.join('\n')}\n`;
}
