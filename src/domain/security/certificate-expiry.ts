// A charger certificate close to its end is announced once, as Voltgate's security event ChargerCertificateExpiring
// (and so the charge_point.security_event webhook), VOLTGATE_CERT_EXPIRY_WARNING_DAYS before it ends: time to have
// the charger ask for a new one (2.0.1 A02; 1.6 ExtendedTriggerMessage SignChargePointCertificate).
import type { ChargerCertificateRepository, Clock, EventFactory, SecurityEventRepository } from '../ports.js';
import { CERTIFICATE_EVENTS } from './certificate-signing.js';
import { recordSecurityEvent } from './security-events.js';

export interface CertificateExpiryDeps {
  certificates: Pick<ChargerCertificateRepository, 'unwarnedExpiringBefore' | 'markExpiryWarned'>;
  securityEvents: Pick<SecurityEventRepository, 'record'>;
  events: EventFactory;
  clock: Clock;
}

const BATCH = 100;

/** Announces every certificate that ends within `warningDays` and was not announced yet; returns how many. */
export async function announceExpiringCertificates(deps: CertificateExpiryDeps, warningDays: number): Promise<number> {
  let announced = 0;
  for (;;) {
    const now = deps.clock.now();
    const before = new Date(now.getTime() + warningDays * 86_400_000).toISOString();
    const due = await deps.certificates.unwarnedExpiringBefore(before, BATCH);
    for (const certificate of due) {
      const ended = certificate.notAfter <= now.toISOString();
      await recordSecurityEvent(deps, {
        chargePointId: certificate.chargePointId,
        type: CERTIFICATE_EVENTS.expiring,
        techInfo: `certificate ${certificate.serialNumber} (${certificate.subject}) ${ended ? 'ended' : 'ends'} ${certificate.notAfter}`,
        source: 'voltgate',
      });
      await deps.certificates.markExpiryWarned(certificate.id, now.toISOString());
      announced++;
    }
    if (due.length < BATCH) return announced;
  }
}
