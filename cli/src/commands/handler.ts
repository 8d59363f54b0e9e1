import type { Context } from '../context.js';

/** A command's implementation: reads its options, calls the plugin, prints through `ctx.out`. */
export type Handler = (ctx: Context, opts: Record<string, unknown>) => Promise<void>;

/** A string option commander has checked as present (required options). */
export function str(opts: Record<string, unknown>, key: string): string {
  return String(opts[key]);
}

/** An optional string option. */
export function optStr(opts: Record<string, unknown>, key: string): string | undefined {
  const v = opts[key];
  return typeof v === 'string' ? v : undefined;
}

/** A repeatable option (absent: empty). */
export function strList(opts: Record<string, unknown>, key: string): string[] {
  const v = opts[key];
  return Array.isArray(v) ? v.map(String) : [];
}
