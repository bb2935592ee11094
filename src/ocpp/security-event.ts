// SecurityEventNotification reads the same in 1.6 (security extension) and 2.0.1: kept and announced, answered {}.
// It stays in the charger's messages too (GET …/messages), where it was kept before security events had a list of
// their own, so a reader of that list misses nothing.
import { recordSecurityEvent } from '../domain/security/security-events.js';
import type { HandlerDeps } from './handler-deps.js';

export function securityEventNotification(deps: HandlerDeps) {
  return async (req: { type: string; timestamp: string; techInfo?: string }, ctx: { identity: string }): Promise<Record<string, never>> => {
    await deps.messages?.record({ chargePointId: ctx.identity, action: 'SecurityEventNotification', payload: req, receivedAt: deps.clock.now().toISOString() });
    if (deps.securityEvents) {
      await recordSecurityEvent(
        { securityEvents: deps.securityEvents, events: deps.events, clock: deps.clock },
        { chargePointId: ctx.identity, type: req.type, techInfo: req.techInfo ?? null, source: 'charger', occurredAt: req.timestamp },
      );
    }
    return {};
  };
}
