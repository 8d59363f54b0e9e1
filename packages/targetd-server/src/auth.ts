/**
 * HTTP Basic authentication with targetd's tarpit.
 *
 * targetd sleeps 2 s before it answers a wrong user or password with 401, and while one such sleep runs for a
 * client address, every request from that address gets 503 at once, correct credentials included (so four
 * concurrent bad guesses cost 2 s and yield one 401 and three 503). Unlike targetd, the sleep here holds no
 * thread and no lock: other clients are served meanwhile.
 *
 * Credentials are compared in constant time (digests of both sides), and a password may contain `:` (RFC 7617
 * splits at the first colon; targetd answers 400 for it). The user may not, as in any Basic scheme.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export type AuthVerdict =
  /** The credentials match. */
  | { ok: true; user: string }
  /** No Authorization header: 401 with a Basic challenge. */
  | { ok: false; status: 401; reason: 'missing' }
  /** Not a decodable `Basic` header: 400, as targetd answers. */
  | { ok: false; status: 400; reason: 'malformed' }
  /** A failed login from this address is still being tarpitted: 503 at once. */
  | { ok: false; status: 503; reason: 'tarpit' }
  /** Wrong user or password: 401, after the tarpit delay. */
  | { ok: false; status: 401; reason: 'denied'; user: string };

export const TARPIT_MS = 2_000;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

/** `user:password` from an Authorization header value, or null when it is not a well-formed Basic header. */
export function parseBasic(header: string): { user: string; password: string } | null {
  const m = /^basic +(\S*) *$/i.exec(header);
  if (!m || !BASE64.test(m[1] as string)) return null;
  let text: string;
  try {
    text = utf8.decode(Buffer.from(m[1] as string, 'base64'));
  } catch {
    return null;
  }
  const colon = text.indexOf(':');
  if (colon < 0) return null;
  return { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

export class BasicAuthGate {
  readonly #user: Buffer;
  readonly #password: Buffer;
  readonly #tarpitMs: number;
  /** Client addresses with a failed login being delayed now. */
  readonly #tarpitted = new Set<string>();

  constructor(user: string, password: string, tarpitMs = TARPIT_MS) {
    this.#user = digest(user);
    this.#password = digest(password);
    this.#tarpitMs = tarpitMs;
  }

  /** Checks one request's Authorization header; a wrong password resolves only after the tarpit delay. */
  async check(header: string | undefined, address: string): Promise<AuthVerdict> {
    if (header === undefined) return { ok: false, status: 401, reason: 'missing' };
    const credentials = parseBasic(header);
    if (!credentials) return { ok: false, status: 400, reason: 'malformed' };
    if (this.#tarpitted.has(address)) return { ok: false, status: 503, reason: 'tarpit' };
    // Both comparisons always run, so the time taken does not tell a wrong user from a wrong password.
    const userOk = timingSafeEqual(digest(credentials.user), this.#user);
    const passwordOk = timingSafeEqual(digest(credentials.password), this.#password);
    if (userOk && passwordOk) return { ok: true, user: credentials.user };
    this.#tarpitted.add(address);
    await new Promise((resolve) => setTimeout(resolve, this.#tarpitMs));
    this.#tarpitted.delete(address);
    return { ok: false, status: 401, reason: 'denied', user: credentials.user };
  }
}
