// OCPP 1.6 Firmware Management, charger-initiated: status reports are logged and acknowledged.
import type { V16Deps, V16Handlers } from './handlers.js';

export function firmwareHandlers(deps: V16Deps): V16Handlers {
  return {
    DiagnosticsStatusNotification: async (req, ctx) => {
      await deps.messages?.record({ chargePointId: ctx.identity, action: 'DiagnosticsStatusNotification', payload: req, receivedAt: deps.clock.now().toISOString() });
      return {};
    },
    FirmwareStatusNotification: async (req, ctx) => {
      await deps.messages?.record({ chargePointId: ctx.identity, action: 'FirmwareStatusNotification', payload: req, receivedAt: deps.clock.now().toISOString() });
      return {};
    },
  };
}
