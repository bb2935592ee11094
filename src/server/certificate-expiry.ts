// Looks for charger certificates close to their end: a few seconds after start, hourly, and whenever a certificate
// was recorded (domain/security/certificate-expiry.ts).
import type { Logger } from 'pino';
import { announceExpiringCertificates, type CertificateExpiryDeps } from '../domain/security/certificate-expiry.js';

const FIRST_PASS_MS = 5_000;
const INTERVAL_MS = 3_600_000;

export function startCertificateExpiryWatch(deps: CertificateExpiryDeps & { warningDays: number; logger: Logger }) {
  let running: Promise<void> | null = null;
  let again = false;
  const pass = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = announceExpiringCertificates(deps, deps.warningDays)
      .then((announced) => {
        if (announced > 0) deps.logger.warn({ announced, warningDays: deps.warningDays }, 'charger certificates close to their end announced');
      })
      .catch((error: unknown) => deps.logger.warn({ err: error }, 'could not look for expiring charger certificates; tried again at the next pass'))
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          void pass();
        }
      });
    return running;
  };
  const first = setTimeout(() => void pass(), FIRST_PASS_MS);
  const timer = setInterval(() => void pass(), INTERVAL_MS);
  first.unref();
  timer.unref();
  return {
    pass,
    async stop() {
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}
