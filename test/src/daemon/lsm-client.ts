/**
 * A libstoragemgmt client written from lsm's wire specification (reference §3), independent of the daemon's
 * code: 10-digit ASCII length + one JSON document, requests `{method, id: 100, params}` with `flags` always
 * present, answers `{id, result}` or `{id, error: {code, message, data}}`, strictly one request at a time.
 *
 * Its JSON handling is deliberately separate from the daemon's translator (which it tests): integers are kept
 * exact by quoting integer literals of 16 digits or more (outside strings) before JSON.parse and turning
 * those beyond 2^53 into bigint afterwards, and bigint params are written as bare digits by a replacer marker.
 */
import net from 'node:net';

export class LsmWireError extends Error {
  readonly code: number;
  readonly data: unknown;
  constructor(code: number, message: string, data: unknown) {
    super(message);
    this.code = code;
    this.data = data;
  }
}

const BIG_MARK = '\u0000big:';

/** Quotes integers of 16+ digits that stand outside strings, marking them for conversion to bigint. */
function protectBigIntegers(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (inString) {
      out += c;
      if (c === '\\') { out += text[++i] ?? ''; continue; }
      if (c === '"') inString = false;
      continue;
    }
    if (c === '"') { inString = true; out += c; continue; }
    if (c === '-' || (c >= '0' && c <= '9')) {
      let j = i + 1;
      while (j < text.length && /[0-9.eE+-]/.test(text[j] as string)) j++;
      const literal = text.slice(i, j);
      out += /^-?\d{16,}$/.test(literal) ? JSON.stringify(BIG_MARK + literal) : literal;
      i = j - 1;
      continue;
    }
    out += c;
  }
  return out;
}

export function decodeLsmJson(text: string): unknown {
  return JSON.parse(protectBigIntegers(text), (_key, value: unknown) => {
    if (typeof value === 'string' && value.startsWith(BIG_MARK)) {
      const n = BigInt(value.slice(BIG_MARK.length));
      return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
    }
    return value;
  });
}

export function encodeLsmJson(value: unknown): string {
  const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? BIG_MARK + v.toString() : v));
  return text.replace(new RegExp(`"${BIG_MARK.replace('\u0000', '\\\\u0000')}(-?\\d+)"`, 'g'), '$1');
}

export class LsmWireClient {
  readonly #socket: net.Socket;
  #buffer = Buffer.alloc(0);
  #waiting: ((text: string | Error) => void) | undefined;
  #closed: Error | undefined;

  private constructor(socket: net.Socket) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      this.#deliver();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.#closed = new LsmWireError(400, 'Error while reading a message from the plug-in, EOF', null);
      this.#waiting?.(this.#closed);
      this.#waiting = undefined;
    });
  }

  static connect(socketPath: string): Promise<LsmWireClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ path: socketPath });
      socket.once('connect', () => { socket.removeAllListeners('error'); resolve(new LsmWireClient(socket)); });
      socket.once('error', reject);
    });
  }

  /** Sends raw bytes (for malformed-input tests). */
  sendRaw(bytes: Buffer | string): void {
    this.#socket.write(bytes);
  }

  /** Sends one framed JSON text as is. */
  sendText(json: string): void {
    const length = Buffer.byteLength(json);
    this.#socket.write(String(length).padStart(10, '0') + json);
  }

  /** Reads the next answer (parsed). */
  async receive(): Promise<Record<string, unknown>> {
    const text = await new Promise<string>((resolve, reject) => {
      this.#waiting = (t) => (t instanceof Error ? reject(t) : resolve(t));
      this.#deliver();
      const stillWaiting: unknown = this.#waiting;
      if (this.#closed && stillWaiting) { this.#waiting = undefined; reject(this.#closed); }
    });
    return decodeLsmJson(text) as Record<string, unknown>;
  }

  /** One RPC: raises LsmWireError with lsm's code for an error answer. */
  async call(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
    this.sendText(encodeLsmJson({ method, id: 100, params: { ...params, flags: params.flags ?? 0 } }));
    const answer = await this.receive();
    if (answer.id !== 100) throw new Error(`answer id ${String(answer.id)} is not 100`);
    if ('result' in answer) return answer.result;
    const error = answer.error as { code: number; message: string; data: unknown };
    throw new LsmWireError(error.code, error.message, error.data);
  }

  close(): void {
    this.#socket.end();
  }

  get closed(): Promise<void> {
    return new Promise((resolve) => {
      if (this.#socket.destroyed) resolve();
      else this.#socket.once('close', () => resolve());
    });
  }

  #deliver(): void {
    if (!this.#waiting || this.#buffer.length < 10) return;
    const length = Number(this.#buffer.subarray(0, 10).toString('latin1'));
    if (this.#buffer.length < 10 + length) return;
    const text = this.#buffer.subarray(10, 10 + length).toString('utf8');
    this.#buffer = this.#buffer.subarray(10 + length);
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting(text);
  }
}
