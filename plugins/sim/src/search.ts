/**
 * Server-side search (lsm's `*_QUICK_SEARCH` capabilities): a listing's search key becomes a SQL condition, so
 * `lsmcli list --type volumes --pool P` reads only that pool's rows instead of every volume.
 */
import { Ids, parseId, SYSTEM_ID } from './ids.js';

type IdKind = (typeof Ids)[keyof typeof Ids];

/** A WHERE clause and its parameter; `none` when the search can match nothing (an id of the wrong form). */
export type Condition = { sql: string; params: unknown[] } | 'none';

const ALL: Condition = { sql: '', params: [] };

/**
 * The condition for `key = value` on a table: `id` is the row key (of kind `own`) of `table`, `system_id` matches every row or
 * none (one system), and other keys map to a foreign-key column through `columns`.
 */
export function searchCondition(
  key: string | null, value: string | null, table: string, own: IdKind,
  columns: Readonly<Record<string, { column: string; kind: IdKind }>> = {},
): Condition {
  if (key === null || value === null) return ALL;
  if (key === 'system_id') return value === SYSTEM_ID ? ALL : 'none';
  const target = key === 'id' ? { column: 'id', kind: own } : columns[key];
  if (!target) return 'none';
  const rowid = parseId(target.kind, value);
  if (rowid === null) return 'none';
  return { sql: ` WHERE ${table}.${target.column} = ?`, params: [rowid] };
}
