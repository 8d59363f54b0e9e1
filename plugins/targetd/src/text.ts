/**
 * Text from targetd (its error messages) is quoted into our messages; it can hold anything a name held, so it is
 * made printable and bounded first.
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const LIMIT = 300;

export function serverText(text: unknown): string {
  const s = typeof text === 'string' ? text : String(text);
  const clean = s.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return clean.length > LIMIT ? `${clean.slice(0, LIMIT)}…` : clean;
}
