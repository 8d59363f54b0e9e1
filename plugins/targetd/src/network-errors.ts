/**
 * Failures below JSON-RPC (connecting, TLS, HTTP framing, deadlines) in lsm's terms, with a message that says
 * what to check. undici and Node report them by `code` (`ECONNREFUSED`, `UND_ERR_SOCKET`, OpenSSL's
 * certificate codes) or, for a reply llhttp cannot read, by the class name `HTTPParserError`.
 */
import { ErrorNumber, LsmError } from '@openlsm/core';

/** OpenSSL's verification codes (as Node names them) and what each says about the certificate. */
const CERTIFICATE_PROBLEMS: Readonly<Record<string, string>> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'is self-signed and not trusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'chains up to a self-signed CA that is not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'is signed by a CA that is not trusted',
  UNABLE_TO_GET_ISSUER_CERT: 'is signed by a CA that is not trusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'is signed by a CA that is not trusted',
  CERT_HAS_EXPIRED: 'has expired',
  CERT_NOT_YET_VALID: 'is not valid yet',
  CERT_REVOKED: 'has been revoked',
  CERT_SIGNATURE_FAILURE: 'has a signature that does not verify',
  CERT_UNTRUSTED: 'is not trusted',
  CERT_REJECTED: 'is rejected for this purpose',
  INVALID_PURPOSE: 'is not meant for a TLS server',
  ERR_TLS_CERT_ALTNAME_INVALID: 'does not name this host',
};

const TLS_HINT = 'trust it with ?ca_cert_file=<PEM of the CA or of the self-signed certificate>, or, never in production, ?no_ssl_verify=yes';

interface ErrorLike {
  name?: string;
  code?: string;
  message?: string;
  reason?: string;
  cause?: unknown;
}

function codeOf(err: ErrorLike): string | undefined {
  return err.code ?? (err.cause as ErrorLike | undefined)?.code;
}

export interface FailureContext {
  label: string;
  method: string;
  ssl: boolean;
  timeoutMs: number;
  /** The call's own deadline passed, or the caller aborted it. */
  aborted: boolean;
}

/** The LsmError for a failed HTTP exchange with targetd. */
export function networkErrorToLsm(error: unknown, c: FailureContext): LsmError {
  const err = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as ErrorLike;
  const at = `targetd at ${c.label}`;
  if (c.aborted) return new LsmError(ErrorNumber.TIMEOUT, `${at} did not answer ${c.method} within ${c.timeoutMs} ms`);
  const code = codeOf(err);
  const problem = code === undefined ? undefined : CERTIFICATE_PROBLEMS[code];
  if (problem !== undefined) {
    const detail = err.reason ? `: ${err.reason}` : '';
    return new LsmError(ErrorNumber.NETWORK_ERROR, `TLS: the certificate of ${at} ${problem} (${code}${detail}); ${TLS_HINT}`);
  }
  switch (code) {
    case 'ECONNREFUSED':
      return new LsmError(ErrorNumber.NETWORK_CONNREFUSED, `${at} refused the connection: is targetd running, and listening on port ${c.label.slice(c.label.lastIndexOf(':') + 1)}?`);
    case 'EHOSTUNREACH':
    case 'EHOSTDOWN':
    case 'ENETUNREACH':
      return new LsmError(ErrorNumber.NETWORK_HOSTDOWN, `${at} cannot be reached (${code}): is the host up and routed?`);
    case 'UND_ERR_CONNECT_TIMEOUT':
      return new LsmError(ErrorNumber.NETWORK_HOSTDOWN, `${at} did not accept a connection within ${c.timeoutMs} ms: is the host up?`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new LsmError(ErrorNumber.NETWORK_ERROR, `${at}: the host name does not resolve (${code})`);
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return new LsmError(ErrorNumber.TIMEOUT, `${at} did not answer ${c.method} within ${c.timeoutMs} ms`);
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return new LsmError(ErrorNumber.NETWORK_ERROR, `${at} closed the connection before answering ${c.method}${c.ssl ? '' : ' (if it serves HTTPS, use targetd+ssl://)'}`);
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
      return new LsmError(ErrorNumber.NETWORK_ERROR, `${at} sent a truncated answer to ${c.method}`);
    case 'EPROTO':
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
      return new LsmError(ErrorNumber.NETWORK_ERROR, `TLS handshake with ${at} failed (${code}): if it serves plain HTTP, use targetd://`);
  }
  if (err.name === 'HTTPParserError') {
    return new LsmError(ErrorNumber.NETWORK_ERROR, `${at} answered ${c.method} with something that is not HTTP: ${err.message ?? ''}`);
  }
  if (typeof code === 'string' && (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_'))) {
    return new LsmError(ErrorNumber.NETWORK_ERROR, `TLS with ${at} failed (${code}): ${err.message ?? ''}`);
  }
  return new LsmError(ErrorNumber.NETWORK_ERROR, `${at}: ${c.method} failed: ${code ? `${code}: ` : ''}${err.message ?? String(error)}`);
}
