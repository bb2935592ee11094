// Looks for charger certificates close to their end: a few seconds after start, hourly, and whenever a certificate
// was recorded (domain/security/certificate-expiry.ts).
import type { Logger } from 'pino';
import { announceExpiringCertificates, type CertificateExpiryDeps } from '../domain/security/certificate-expiry.js';
import { startPeriodicPass } from './periodic-pass.js';

export function startCertificateExpiryWatch(deps: CertificateExpiryDeps & { warningDays: number; logger: Logger }) {
  const run = () =>
    announceExpiringCertificates(deps, deps.warningDays)
      .then((announced) => {
        if (announced > 0) deps.logger.warn({ announced, warningDays: deps.warningDays }, 'charger certificates close to their end announced');
      })
      .catch((error: unknown) => deps.logger.warn({ err: error }, 'could not look for expiring charger certificates; tried again at the next pass'));
  // A certificate recorded during a pass may have been missed by it: one more pass follows.
  return startPeriodicPass(run, { firstMs: 5_000, intervalMs: 3_600_000, again: true });
}
