/**
 * The TLS settings of the server: TLS 1.2 at least, and for TLS 1.2 only forward-secret AEAD suites (ECDHE with
 * AES-GCM or ChaCha20-Poly1305, Mozilla's "intermediate" list); TLS 1.3 uses OpenSSL's default suites, which are
 * all of that kind. targetd's `HIGH:-aNULL:-eNULL:-PSK` also allows CBC and non-forward-secret RSA key exchange,
 * and it sets no protocol floor.
 */
import { createSecureContext, type SecureContextOptions } from 'node:tls';
import { ErrorNumber, LsmError } from '@openlsm/core';
import { readProtectedFile } from './secret-files.js';

export const TLS_CIPHERS = [
  'ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384', 'ECDHE-ECDSA-CHACHA20-POLY1305', 'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

/**
 * Reads and checks the certificate and key files and returns the server's TLS options. Fails (INVALID_ARGUMENT)
 * on a file targetd would refuse, on PEM that does not parse, or on a key that does not match the certificate,
 * so that a SIGHUP with bad files can keep the certificate in use.
 */
export function loadTlsOptions(certFile: string, keyFile: string): SecureContextOptions {
  const key = readProtectedFile(keyFile);
  const cert = readProtectedFile(certFile);
  const options: SecureContextOptions = { cert, key, minVersion: 'TLSv1.2', ciphers: TLS_CIPHERS, honorCipherOrder: true };
  try {
    createSecureContext(options);
  } catch (err) {
    throw new LsmError(ErrorNumber.INVALID_ARGUMENT, `Cannot use certificate '${certFile}' with key '${keyFile}': ${(err as Error).message}`);
  }
  return options;
}
