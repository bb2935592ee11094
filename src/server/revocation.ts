// Certificate revocation lists (VOLTGATE_TLS_CRL): read and proved at start-up, consulted where OpenSSL cannot (a
// certificate a trusted proxy forwards), and applied to chargers already connected when a new CRL arrives, since
// OpenSSL uses it at the next handshake only.
import { readFileSync, statSync } from 'node:fs';
import type { X509Certificate } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import type { Logger } from 'pino';
import { x509 } from './certificates/x509.js';
import { recordSecurityEvent, VOLTGATE_SECURITY_EVENTS, type SecurityEventDeps } from '../domain/security/security-events.js';
import type { RpcServer } from '../ocpp/rpc/server.js';

/** WebSocket close code for a connection whose credentials no longer hold. */
export const POLICY_VIOLATION_CLOSE_CODE = 1008;

function readCrlFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`VOLTGATE_TLS_CRL: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/**
 * Every CRL of the file, each proved to parse. Node reads only the first CRL of a PEM string, so they are passed one
 * by one; OpenSSL then checks every certificate of a chain against its issuer's CRL, and refuses one whose CA has none.
 */
export function readCrls(path: string): string[] {
  const blocks = readCrlFile(path).match(/-----BEGIN X509 CRL-----[\s\S]+?-----END X509 CRL-----/g) ?? [];
  if (blocks.length === 0) throw new Error(`VOLTGATE_TLS_CRL: no CRL in ${path} (PEM, -----BEGIN X509 CRL-----)`);
  blocks.forEach((crl, index) => {
    try {
      createSecureContext({ crl });
    } catch (error) {
      throw new Error(`VOLTGATE_TLS_CRL: CRL ${index + 1} of ${path} cannot be parsed (${(error as Error).message})`);
    }
  });
  return blocks;
}

/** Why the CRLs refuse a certificate, in OpenSSL's words, or null when they do not. */
export type RevocationProblem = 'CERT_REVOKED' | 'UNABLE_TO_GET_CRL' | 'CRL_HAS_EXPIRED';

/** The CRLs' verdict on a certificate at a moment. */
export type RevocationVerdict = (certificate: X509Certificate, now: Date) => RevocationProblem | null;

/**
 * The verdict of these CRLs (PEM) on a certificate, as OpenSSL gives it at a handshake: its issuer's CRL lists it,
 * its issuer has no CRL, or that CRL is past its next update. (The CRLs' signatures are OpenSSL's to check: the file
 * is the operator's, as trusted as VOLTGATE_TLS_CA.)
 */
export function revocationCheck(crlPems: readonly string[]): RevocationVerdict {
  const crls = crlPems.map((pem) => {
    const crl = new x509.X509Crl(pem);
    return { crl, issuer: Buffer.from(crl.issuerName.toArrayBuffer()) };
  });
  return (certificate, now) => {
    let parsed: InstanceType<typeof x509.X509Certificate>;
    try {
      parsed = new x509.X509Certificate(certificate.raw);
    } catch {
      return 'UNABLE_TO_GET_CRL'; // its issuer cannot be read, so neither can its CRL be found
    }
    const issuer = Buffer.from(parsed.issuerName.toArrayBuffer());
    const own = crls.find((entry) => entry.issuer.equals(issuer));
    if (!own) return 'UNABLE_TO_GET_CRL';
    if (own.crl.findRevoked(parsed)) return 'CERT_REVOKED';
    return own.crl.nextUpdate && own.crl.nextUpdate < now ? 'CRL_HAS_EXPIRED' : null;
  };
}

/** The CRL file's current verdict: read again when the file changes; a file that no longer reads keeps the last. */
export function watchedRevocationCheck(path: string, logger: Logger): RevocationVerdict {
  let check = revocationCheck(readCrls(path));
  let seen = statSync(path).mtimeMs;
  return (certificate, now) => {
    try {
      const modified = statSync(path).mtimeMs;
      if (modified !== seen) {
        check = revocationCheck(readCrls(path));
        seen = modified;
      }
    } catch (error) {
      logger.error({ err: error }, 'VOLTGATE_TLS_CRL not reloaded: the CRLs in use stay');
    }
    return check(certificate, now);
  };
}

/** Closes every connection whose TLS client certificate the new CRLs revoke, each kept as a security event. */
export function closeRevokedConnections(rpc: RpcServer, crlPems: readonly string[], deps: SecurityEventDeps, logger: Logger): void {
  const check = revocationCheck(crlPems);
  const now = deps.clock.now();
  for (const connection of rpc.connections()) {
    const certificate = rpc.clientCertificateOf(connection);
    if (!certificate || check(certificate, now) !== 'CERT_REVOKED') continue;
    const identity = connection.identity;
    const techInfo = `client certificate serial ${certificate.serialNumber.toUpperCase()} revoked (CERT_REVOKED) while connected: disconnected`;
    logger.warn({ chargePointId: identity, type: VOLTGATE_SECURITY_EVENTS.invalidClientCertificate, techInfo }, 'security event: connection closed');
    recordSecurityEvent(deps, { chargePointId: identity, type: VOLTGATE_SECURITY_EVENTS.invalidClientCertificate, techInfo, source: 'voltgate' }).catch((error: unknown) =>
      logger.warn({ err: error, chargePointId: identity }, 'could not record a security event'),
    );
    connection.close(POLICY_VIOLATION_CLOSE_CODE, 'client certificate revoked').catch(() => connection.terminate());
  }
}
