// OCPP 1.6 Firmware Management, charger-initiated: status reports are logged and acknowledged.
import type { V16Deps, V16Handlers } from './handlers.js';

export function firmwareHandlers(deps: V16Deps): V16Handlers {
  return {
    DiagnosticsStatusNotification: async (req, ctx) => {
      deps.logger.info({ chargePointId: ctx.identity, status: req.status }, 'diagnostics status');
      return {};
    },
    FirmwareStatusNotification: async (req, ctx) => {
      deps.logger.info({ chargePointId: ctx.identity, status: req.status }, 'firmware status');
      return {};
    },
  };
}
