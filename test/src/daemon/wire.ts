/**
 * Raw sockets for the daemon's hostile-input tests: connect, send bytes, and read whatever comes back until the
 * daemon closes the connection, decoded as openlsm or lsm frames.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { decodeBody } from '@openlsm/ipc';
import { repoRoot } from './daemon-env.js';

export interface RawConnection {
  socket: net.Socket;
  /** Everything received so far. */
  received(): Buffer;
  /** Resolves when the daemon has closed the connection. */
  closed: Promise<void>;
}

export function rawConnect(socketPath: string): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ path: socketPath });
    const parts: Buffer[] = [];
    socket.on('data', (c: Buffer) => parts.push(c));
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    socket.once('connect', () => {
      socket.removeListener('error', reject);
      socket.on('error', () => {});
      resolve({ socket, received: () => Buffer.concat(parts), closed });
    });
    socket.once('error', reject);
  });
}

/** The openlsm frames in `bytes`, decoded. */
export function openlsmMessages(bytes: Buffer): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let at = 0; at + 4 <= bytes.length;) {
    const size = bytes.readUInt32BE(at);
    if (at + 4 + size > bytes.length) break;
    out.push(decodeBody(bytes.subarray(at + 4, at + 4 + size)) as Record<string, unknown>);
    at += 4 + size;
  }
  return out;
}

/** The lsm frames (10-digit length + JSON) in `bytes`, parsed with JSON.parse (the tests use small numbers). */
export function lsmMessages(bytes: Buffer): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let at = 0; at + 10 <= bytes.length;) {
    const size = Number(bytes.subarray(at, at + 10).toString('latin1'));
    if (at + 10 + size > bytes.length) break;
    out.push(JSON.parse(bytes.subarray(at + 10, at + 10 + size).toString('utf8')) as Record<string, unknown>);
    at += 10 + size;
  }
  return out;
}

export function lsmFrame(json: string): Buffer {
  const body = Buffer.from(json);
  return Buffer.concat([Buffer.from(String(body.length).padStart(10, '0')), body]);
}

/** Resident memory of a process, in bytes. */
export function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0) * 1024;
}

/** Direct children of a process (plugin processes of a daemon). */
export function childrenOf(pid: number): number[] {
  return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
}

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the built lsmcli without blocking the test's event loop (its own sockets must keep working). */
export function lsmcli(args: string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  return new Promise((resolve) => {
    const start = performance.now();
    const child = spawn(process.execPath, [path.join(repoRoot, 'cli/bin/lsmcli.js'), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => { stdout += c; });
    child.stderr.setEncoding('utf8').on('data', (c: string) => { stderr += c; });
    child.once('close', (status) => resolve({ status, stdout, stderr, ms: performance.now() - start }));
  });
}
