// Certificates for chargers (issue 12 point 4; CONFORMANCE 32; 1.6 security whitepaper 3.6, 2.0.1 A02/A03): a
// charger's SignCertificate is answered at once, Accepted only when its request passed the checks (the issuer's:
// well-formed, strong key, subject naming the charger and the operator); the certificate is then signed and sent
// with CertificateSigned, and kept for its expiry. A failure after Accepted (the CA refused, the charger did) is
// the operator's alert: a security event. Without an issuer every request is Rejected: Voltgate never signs
// with a key of its own making.
import type { ChargerCertificateRepository, ChargerGateway, Clock, EventFactory, Log, SecurityEventRepository } from '../ports.js';
import { recordSecurityEvent } from './security-events.js';

export interface IssuedChargerCertificate {
  /** PEM: the charger's certificate first, then the CAs up to the root. */
  chain: string;
  serialNumber: string;
  subject: string;
  issuer: string;
  notBefore: string;
  notAfter: string;
}

export type CertificateReview = { ok: true; issue(): Promise<IssuedChargerCertificate> } | { ok: false; problem: string };

/** Checks a request and, when it passes, signs it (server/certificates). */
export interface ChargerCertificateIssuer {
  review(chargePointId: string, csrPem: string): Promise<CertificateReview>;
}

export interface CertificateSigningDeps {
  issuer: ChargerCertificateIssuer | null;
  gateway: Pick<ChargerGateway, 'send'>;
  certificates: Pick<ChargerCertificateRepository, 'record'>;
  securityEvents: Pick<SecurityEventRepository, 'record'>;
  events: EventFactory;
  clock: Clock;
  log: Pick<Log, 'warn' | 'info'>;
  /** A certificate was recorded: its expiry may need announcing at once. */
  recorded?: () => void;
}

/** Voltgate's security events about certificates. */
export const CERTIFICATE_EVENTS = {
  requestRejected: 'CertificateSigningRequestRejected',
  signingFailed: 'CertificateSigningFailed',
  notInstalled: 'CertificateNotInstalled',
  expiring: 'ChargerCertificateExpiring',
} as const;

export class CertificateSigning {
  constructor(private readonly deps: CertificateSigningDeps) {}

  /** The answer to a charger's SignCertificate; when Accepted, the certificate follows once the answer is out. */
  async answer(chargePointId: string, csrPem: string): Promise<'Accepted' | 'Rejected'> {
    if (!this.deps.issuer) return 'Rejected';
    const review = await this.deps.issuer.review(chargePointId, csrPem);
    if (!review.ok) {
      await this.alert(chargePointId, CERTIFICATE_EVENTS.requestRejected, review.problem);
      return 'Rejected';
    }
    // After the CALLRESULT has gone out: CertificateSigned is a call of its own.
    setImmediate(() => {
      this.deliver(chargePointId, review.issue).catch((error: unknown) => this.deps.log.warn({ err: error, chargePointId }, 'could not deliver a signed certificate'));
    });
    return 'Accepted';
  }

  private async deliver(chargePointId: string, issue: () => Promise<IssuedChargerCertificate>): Promise<void> {
    let issued: IssuedChargerCertificate;
    try {
      issued = await issue();
    } catch (error) {
      return this.alert(chargePointId, CERTIFICATE_EVENTS.signingFailed, error instanceof Error ? error.message : String(error));
    }
    const { chain, ...certificate } = issued;
    await this.deps.certificates.record({ chargePointId, ...certificate, source: 'signed', recordedAt: this.deps.clock.now().toISOString() });
    this.deps.recorded?.();
    const answer = await this.deps.gateway.send(chargePointId, { kind: 'installChargerCertificate', chain }).catch((error: unknown) => ({
      accepted: false,
      status: error instanceof Error ? error.message : String(error),
    }));
    if (!answer.accepted) return this.alert(chargePointId, CERTIFICATE_EVENTS.notInstalled, `certificate ${certificate.serialNumber}: ${answer.status}`);
    this.deps.log.info({ chargePointId, serialNumber: certificate.serialNumber, notAfter: certificate.notAfter }, 'charger certificate signed and installed');
  }

  private alert(chargePointId: string, type: string, techInfo: string): Promise<void> {
    this.deps.log.warn({ chargePointId, type, techInfo }, 'security event: certificate');
    return recordSecurityEvent(this.deps, { chargePointId, type, techInfo, source: 'voltgate' });
  }
}
