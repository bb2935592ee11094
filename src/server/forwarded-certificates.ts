// Behind a TLS-terminating proxy (VOLTGATE_TRUSTED_PROXIES): the proxy did the TLS, so it tells Voltgate about it in
// headers, X-Forwarded-Proto and the charger's client certificate (VOLTGATE_CLIENT_CERT_HEADER, URL-encoded PEM).
// Believed only from the listed addresses, and the certificate is checked here as the TLS handshake would have:
// issued and signed by a CA of VOLTGATE_TLS_CA, within its validity, and not revoked by VOLTGATE_TLS_CRL.
import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { BlockList } from 'node:net';
import { presentedCertificate, type ClientCertificate, type HandshakeTransport } from '../ocpp/rpc/server.js';
import { mappedIpv4 } from '../config/outbound-urls.js';
import type { RevocationVerdict } from './revocation.js';

/** Every certificate of a PEM bundle. */
export function readCertificateBundle(file: string): X509Certificate[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`VOLTGATE_TLS_CA: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return certificatesIn(text);
}

/** Every certificate of PEM text (a bundle, a chain), in order. */
export function certificatesIn(text: string): X509Certificate[] {
  return (text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map((pem) => new X509Certificate(pem));
}

function firstValue(value: string | string[] | undefined): string | null {
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

/** Checks a forwarded certificate as a TLS handshake with these CAs (and CRLs) would. */
export function checkForwardedCertificate(pem: string, cas: X509Certificate[], now: Date, revocation: RevocationVerdict | null = null): ClientCertificate {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(pem);
  } catch {
    return { verified: false, problem: 'FORWARDED_CERT_UNREADABLE', commonName: null, organization: null, details: null };
  }
  const subject = new Map(certificate.subject.split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const));
  const named = { commonName: subject.get('CN') ?? null, organization: subject.get('O') ?? null, details: presentedCertificate(certificate) };
  const issuer = cas.find((ca) => certificate.checkIssued(ca) && certificate.verify(ca.publicKey));
  if (!issuer) return { verified: false, problem: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', ...named };
  if (now < new Date(certificate.validFrom)) return { verified: false, problem: 'CERT_NOT_YET_VALID', ...named };
  if (now > new Date(certificate.validTo)) return { verified: false, problem: 'CERT_HAS_EXPIRED', ...named };
  const revoked = revocation?.(certificate, now);
  if (revoked) return { verified: false, problem: revoked, ...named };
  return { verified: true, problem: null, ...named };
}

/** The transport a trusted proxy describes; null when the request did not come from one (its headers are then ignored). */
export function forwardedTransport(options: { proxies: BlockList; header: string; cas: X509Certificate[]; revocation: RevocationVerdict | null; now: () => Date }) {
  const header = options.header.toLowerCase();
  return (req: IncomingMessage): HandshakeTransport | null => {
    const address = req.socket.remoteAddress;
    if (!address) return null;
    const family = address.includes(':') ? 'ipv6' : 'ipv4';
    const mapped = family === 'ipv6' ? mappedIpv4(address) : undefined;
    if (!(mapped ? options.proxies.check(mapped, 'ipv4') : options.proxies.check(address, family))) return null;
    const secure = firstValue(req.headers['x-forwarded-proto'])?.toLowerCase() === 'https';
    const forwarded = firstValue(req.headers[header]);
    if (!secure || !forwarded) return { secure, clientCertificate: null };
    let pem: string;
    try {
      pem = decodeURIComponent(forwarded);
    } catch {
      return { secure, clientCertificate: { verified: false, problem: 'FORWARDED_CERT_UNREADABLE', commonName: null, organization: null, details: null } };
    }
    return { secure, clientCertificate: checkForwardedCertificate(pem, options.cas, options.now(), options.revocation) };
  };
}
