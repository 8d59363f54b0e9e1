/**
 * Where and how to reach targetd, from the URI (libstoragemgmt's forms):
 *
 *   targetd://<user>@<host>[:<port>]                        HTTP (targetd's default, `ssl: false`)
 *   targetd+ssl://<user>@<host>[:<port>]                    HTTPS, verified against the system's CAs
 *   targetd+ssl://<user>@<host>[:<port>]?ca_cert_file=PATH  HTTPS, verified against the CA (or self-signed
 *                                                           certificate) in PATH
 *   targetd+ssl://<user>@<host>[:<port>]?no_ssl_verify=yes  HTTPS without any certificate check (said in the log)
 *
 * The port defaults to 18700, targetd's fixed port. The password never appears here: it comes with
 * `plugin_register`.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describeForMessage, ErrorNumber, hostForUrl, LsmError, type LsmUri } from '@openlsm/core';

export const DEFAULT_PORT = 18700;
const EXAMPLE = 'targetd+ssl://admin@appliance.example.com:18700';

export interface Endpoint {
  host: string;
  port: number;
  user: string;
  ssl: boolean;
  /** `https://host:port`, the origin every request goes to. */
  origin: string;
  /** `host:port`, for messages. */
  label: string;
  /** PEM of `ca_cert_file`, when given. */
  ca: string | undefined;
  /** False only with `no_ssl_verify=yes`. */
  verify: boolean;
}

function invalid(message: string): LsmError {
  return new LsmError(ErrorNumber.INVALID_ARGUMENT, message);
}

function readCaFile(path: string): string {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw invalid(`ca_cert_file URI parameter does not exist ${describeForMessage(path)}`);
    throw invalid(`Cannot read ca_cert_file ${describeForMessage(path)}: ${code ?? (err as Error).message}`);
  }
  try {
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new Error('no certificate');
    void new X509Certificate(pem);
  } catch {
    throw invalid(`ca_cert_file ${describeForMessage(path)} holds no PEM certificate (expected "-----BEGIN CERTIFICATE-----")`);
  }
  return pem;
}

export function endpointFromUri(uri: LsmUri): Endpoint {
  if (uri.host === null) throw invalid(`uri missing "host": use ${EXAMPLE}`);
  if (uri.username === null) throw invalid(`uri missing "username" (the user of targetd.yaml): use ${EXAMPLE}`);
  const params = uri.parameters;
  const caFile = Object.hasOwn(params, 'ca_cert_file') ? params.ca_cert_file as string : undefined;
  const noVerify = Object.hasOwn(params, 'no_ssl_verify') ? params.no_ssl_verify as string : undefined;
  if (!uri.ssl && (caFile !== undefined || noVerify !== undefined)) {
    throw invalid('ca_cert_file and no_ssl_verify apply to HTTPS only: use targetd+ssl://');
  }
  if (noVerify !== undefined && noVerify !== 'yes') throw invalid(`no_ssl_verify takes only "yes", not ${describeForMessage(noVerify)}`);
  if (caFile !== undefined && noVerify !== undefined) throw invalid('ca_cert_file and no_ssl_verify=yes cannot be used together');
  const port = uri.port ?? DEFAULT_PORT;
  const authority = `${hostForUrl(uri.host)}:${port}`;
  return {
    host: uri.host,
    port,
    user: uri.username,
    ssl: uri.ssl,
    origin: `${uri.ssl ? 'https' : 'http'}://${authority}`,
    label: authority,
    ca: caFile === undefined ? undefined : readCaFile(caFile),
    verify: noVerify === undefined,
  };
}
