/**
 * Logging for every openlsm process: winston, JSON lines, always on stderr (stdout carries data: lsmcli's
 * output, never logs). Secrets are masked before anything is formatted.
 *
 * winston itself is loaded on the first message that passes the level, not at start-up: a CLI command or an
 * embedded plugin that logs nothing should not pay for it.
 */
import { createRequire } from 'node:module';
import type winstonType from 'winston';
import { maskUriPasswords } from '@openlsm/core';

const require = createRequire(import.meta.url);

const LEVELS = { error: 0, warn: 1, info: 2, http: 3, verbose: 4, debug: 5, silly: 6 } as const;
export type LogLevel = keyof typeof LEVELS;

/** Keys whose values are secrets wherever they appear in log metadata. */
const SECRET_KEYS = new Set([
  'password', 'in_password', 'out_password', 'in_pass', 'out_pass', 'authorization', 'plain_text_password', 'secret',
]);

/**
 * Returns a copy of `value` with every secret-named member replaced by `***` and the password of any URI in a
 * string removed (`targetd://admin:pw@host` -> `targetd://admin@host`, malformed URIs too).
 */
export function maskSecrets(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskUriPasswords(value);
  if (depth > 6 || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((v) => maskSecrets(v, depth + 1));
  if (value instanceof Error) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_KEYS.has(k.toLowerCase()) && v != null ? '***' : maskSecrets(v, depth + 1);
  }
  // winston keeps the level and the formatted line under Symbol keys (triple-beam's LEVEL, MESSAGE); a copy
  // without them is silently dropped by every transport.
  for (const s of Object.getOwnPropertySymbols(value)) (out as Record<symbol, unknown>)[s] = (value as Record<symbol, unknown>)[s];
  return out;
}

export interface Logger {
  error(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  info(message: string, meta?: Record<string, unknown>): void;
  debug(message: string, meta?: Record<string, unknown>): void;
  /** A logger whose lines all carry `meta`. */
  child(meta: Record<string, unknown>): Logger;
  /** True when `level` would be written. */
  enabled(level: LogLevel): boolean;
  /** Flushes buffered lines (call before `process.exit`). */
  flush(): Promise<void>;
}

export interface LoggerOptions {
  /** Component name in every line: `plugin`, `daemon`, `lsmcli`. */
  component: string;
  /** Default: `$OPENLSM_LOG_LEVEL`, else `warn` (quiet CLIs and plugins); the daemon passes `info`. */
  level?: LogLevel;
  /** Extra fields on every line. */
  meta?: Record<string, unknown>;
}

function parseLevel(text: string | undefined): LogLevel | undefined {
  return text !== undefined && text in LEVELS ? (text as LogLevel) : undefined;
}

export function createLogger(options: LoggerOptions): Logger {
  const level = options.level ?? parseLevel(process.env.OPENLSM_LOG_LEVEL) ?? 'warn';
  const threshold = LEVELS[level];
  let backend: winstonType.Logger | undefined;
  const base = (): winstonType.Logger => {
    if (!backend) {
      const winston = require('winston') as typeof winstonType;
      const { combine, timestamp, errors, json } = winston.format;
      const redact = winston.format((info) => maskSecrets(info) as typeof info);
      backend = winston.createLogger({
        level,
        defaultMeta: { component: options.component, pid: process.pid, ...options.meta },
        format: combine(errors({ stack: true }), redact(), timestamp(), json()),
        transports: [new winston.transports.Console({ stderrLevels: Object.keys(LEVELS) })],
        exitOnError: false,
      });
    }
    return backend;
  };
  const make = (meta: Record<string, unknown>): Logger => {
    const write = (lvl: LogLevel, message: string, extra?: Record<string, unknown>) => {
      if (LEVELS[lvl] > threshold) return;
      base().log(lvl, message, { ...meta, ...extra });
    };
    return {
      error: (m, x) => write('error', m, x),
      warn: (m, x) => write('warn', m, x),
      info: (m, x) => write('info', m, x),
      debug: (m, x) => write('debug', m, x),
      child: (more) => make({ ...meta, ...more }),
      enabled: (lvl) => LEVELS[lvl] <= threshold,
      flush: () => new Promise((resolve) => {
        if (!backend) return resolve();
        backend.on('finish', () => resolve());
        backend.end();
      }),
    };
  };
  return make({});
}
