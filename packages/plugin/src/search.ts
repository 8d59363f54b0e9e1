/**
 * Search-key filtering for plugins whose array cannot filter (lsm's `search_property`). A plugin that can
 * filter on the array announces the matching `*_QUICK_SEARCH` capability and filters itself.
 */

/**
 * Keeps the objects whose `key` property equals `value`; with no key, returns the list unchanged.
 * The runner has already checked that `key` is one of the listing's search keys.
 */
export function searchFilter<T extends object>(objects: T[], key: string | null, value: string | null): T[] {
  if (key === null) return objects;
  return objects.filter((o) => (o as Record<string, unknown>)[key] === value);
}
