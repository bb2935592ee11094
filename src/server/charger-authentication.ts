// Who may open an OCPP connection, decided at the WebSocket handshake: the registry's verdict (password, security
// profile, client certificate), refusals counted per address (CONFORMANCE 35), and each refusal of a registered
// charger kept as a security event, once a minute per kind. An admitted charger's verified client certificate is
// kept with its certificates, for its expiry.
import type { Logger } from 'pino';
import type { ChargerRegistry } from '../domain/chargers/registry.js';
import type { ChargerCertificateRepository, Clock, EventFactory, SecurityEventRepository } from '../domain/ports.js';
import { FailedHandshakeThrottle, SecurityEventThrottle, VOLTGATE_SECURITY_EVENTS, recordSecurityEvent } from '../domain/security/security-events.js';
import type { AuthenticationRequest, AuthenticationResult } from '../ocpp/rpc/server.js';

export interface ChargerAuthenticationDeps {
  registry: ChargerRegistry;
  securityEvents: Pick<SecurityEventRepository, 'record'>;
  events: EventFactory;
  clock: Clock;
  logger: Logger;
  certificates?: Pick<ChargerCertificateRepository, 'record'>;
  /** A certificate was kept: its expiry may need announcing. */
  certificateRecorded?: () => void;
}

export function chargerAuthentication(deps: ChargerAuthenticationDeps) {
  const { registry, clock, logger } = deps;
  const securityEventThrottle = new SecurityEventThrottle();
  const handshakeThrottle = new FailedHandshakeThrottle();
  // Once per charger and certificate in this process: a reconnecting charger shows the same one every time.
  const kept = new Set<string>();
  const keepPresented = (identity: string, transport: AuthenticationRequest['transport']) => {
    const details = transport.clientCertificate?.verified ? transport.clientCertificate.details : null;
    if (!details || !deps.certificates) return;
    const key = `${identity}\u0000${details.issuer}\u0000${details.serialNumber}`;
    if (kept.has(key)) return;
    if (kept.size >= 100_000) kept.clear();
    kept.add(key);
    deps.certificates
      .record({ chargePointId: identity, ...details, source: 'presented', recordedAt: clock.now().toISOString() })
      .then(() => deps.certificateRecorded?.())
      .catch((error: unknown) => {
        kept.delete(key);
        logger.warn({ err: error, chargePointId: identity }, 'could not keep a presented client certificate');
      });
  };
  return async ({ identity, basicAuth, transport, remoteAddress }: AuthenticationRequest): Promise<AuthenticationResult> => {
    const address = remoteAddress ?? 'unknown';
    const now = clock.now().getTime();
    const waitMs = handshakeThrottle.waitFor(address, now);
    if (waitMs > 0) return { accept: false, status: 429, message: `too many refused handshakes from this address: try again in ${Math.ceil(waitMs / 1000)} s` };
    const verdict = registry.admission(identity, basicAuth, transport);
    if (verdict === 'accept') {
      keepPresented(identity, transport);
      return { accept: true };
    }
    if (verdict === 'unknown') return { accept: false, status: 404, message: 'unknown charge point' };
    // A registered charger refused: a security event, kept with the charger's own (once a minute per kind).
    const keep = (type: string, techInfo: string) => {
      if (!securityEventThrottle.admit(identity, type, now)) return;
      recordSecurityEvent(deps, { chargePointId: identity, type, techInfo, source: 'voltgate' }).catch((error: unknown) =>
        logger.warn({ err: error, chargePointId: identity }, 'could not record a security event'),
      );
    };
    // Credentials that do not do (a password, TLS, a certificate): counted against the address (CONFORMANCE 35).
    if (handshakeThrottle.failed(address, now)) {
      logger.warn({ remoteAddress }, 'security event: too many refused handshakes from one address, throttled for a minute');
      keep(VOLTGATE_SECURITY_EVENTS.handshakesThrottled, `${address}: too many refused handshakes, refused for a minute`);
    }
    // One at profile 2 or 3 that comes with less is refused, never moved down (CONFORMANCE 27, 29, 30).
    const certificate = transport.clientCertificate;
    const seen = {
      unauthorized: { type: VOLTGATE_SECURITY_EVENTS.invalidPassword, techInfo: basicAuth ? 'wrong password or username' : 'no HTTP Basic credentials' },
      'needs-tls': { type: VOLTGATE_SECURITY_EVENTS.refusedWithoutTls, techInfo: 'connected over plain ws:// at security profile 2 or 3' },
      'needs-certificate': {
        type: VOLTGATE_SECURITY_EVENTS.invalidClientCertificate,
        techInfo: certificate ? `client certificate CN=${certificate.commonName ?? '-'}${certificate.verified ? '' : ` not verified (${certificate.problem ?? 'unknown CA'})`}` : 'no client certificate',
      },
    }[verdict];
    logger.warn({ chargePointId: identity, remoteAddress, type: seen.type, techInfo: seen.techInfo }, 'security event: handshake refused');
    keep(seen.type, seen.techInfo);
    if (verdict === 'unauthorized') return { accept: false, status: 401, message: 'charger password required (HTTP Basic auth, username: the charger id)' };
    return verdict === 'needs-tls'
      ? { accept: false, status: 403, message: 'this charger must connect over TLS (wss://)' }
      : { accept: false, status: 403, message: 'this charger must present a valid client certificate whose CN is its id' };
  };
}
