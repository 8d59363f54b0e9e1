/**
 * The JSON writer of `-o json`. JSON.stringify cannot write a bigint, and a number above 2^53 loses digits,
 * so sizes (bigints) are written as bare digits, exactly: `{"total_space":2305843009213693952}`. Byte arrays
 * become hex strings; undefined members are left out, as JSON.stringify does.
 */

function write(value: unknown, indent: string, step: string, out: string[]): void {
  if (value === null || value === undefined) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'bigint':
      out.push(value.toString());
      return;
    case 'number':
      out.push(Number.isFinite(value) ? String(value) : 'null');
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'string':
      out.push(JSON.stringify(value));
      return;
    default:
      break;
  }
  if (value instanceof Uint8Array) {
    out.push(JSON.stringify(Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')));
    return;
  }
  const inner = indent + step;
  const nl = step ? '\n' : '';
  const colon = step ? ': ' : ':';
  if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push('[]');
      return;
    }
    out.push('[', nl);
    value.forEach((item, i) => {
      out.push(inner);
      write(item, inner, step, out);
      out.push(i < value.length - 1 ? ',' : '', nl);
    });
    out.push(indent, ']');
    return;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined && typeof v !== 'function');
  if (entries.length === 0) {
    out.push('{}');
    return;
  }
  out.push('{', nl);
  entries.forEach(([k, v], i) => {
    out.push(inner, JSON.stringify(k), colon);
    write(v, inner, step, out);
    out.push(i < entries.length - 1 ? ',' : '', nl);
  });
  out.push(indent, '}');
}

/** Serialises `value` as JSON with exact bigints; `indent` spaces per level (0: one line). */
export function toJson(value: unknown, indent = 2): string {
  const out: string[] = [];
  write(value, '', ' '.repeat(indent), out);
  return out.join('');
}
