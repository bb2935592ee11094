// OCPP 1.6 Core profile, charger-initiated: BootNotification, Heartbeat, StatusNotification, DataTransfer.
import { bootCharger } from '../../domain/chargers/boot.js';
import { recordConnectorStatus } from '../../domain/chargers/status.js';
import type { V16Deps, V16Handlers } from './handlers.js';

export function coreHandlers(deps: V16Deps): V16Handlers {
  return {
    BootNotification: async (req, ctx) => {
      const decision = await bootCharger(
        { registry: deps.registry, clock: deps.clock, heartbeatIntervalS: deps.heartbeatIntervalS },
        {
          chargePointId: ctx.identity,
          protocol: ctx.protocol,
          vendor: req.chargePointVendor,
          model: req.chargePointModel,
          serialNumber: req.chargePointSerialNumber ?? req.chargeBoxSerialNumber ?? null,
          firmwareVersion: req.firmwareVersion ?? null,
        },
      );
      deps.signals?.booted(ctx.identity, decision.status);
      return { status: decision.status, currentTime: decision.currentTime, interval: decision.intervalS };
    },

    Heartbeat: async () => ({ currentTime: deps.clock.now().toISOString() }),

    StatusNotification: async (req, ctx) => {
      await recordConnectorStatus(
        { chargePoints: deps.registry, clock: deps.clock, events: deps.events },
        {
          chargePointId: ctx.identity,
          evseId: null,
          connectorId: req.connectorId,
          status: req.status,
          errorCode: req.errorCode,
          ...(req.info !== undefined ? { info: req.info } : {}),
          ...(req.vendorId !== undefined ? { vendorId: req.vendorId } : {}),
          ...(req.vendorErrorCode !== undefined ? { vendorErrorCode: req.vendorErrorCode } : {}),
          ...(req.timestamp !== undefined ? { timestamp: req.timestamp } : {}),
        },
      );
      // §3.5.2: the charger found its local list and its cache at odds. The resync runs after the answer.
      if (req.connectorId === 0 && req.errorCode === 'LocalListConflict') deps.signals?.localListConflict(ctx.identity);
      return {};
    },

    DataTransfer: async (req, ctx) => {
      // No vendor extensions are implemented yet: the spec's answer for that is UnknownVendorId.
      await deps.messages?.record({ chargePointId: ctx.identity, action: 'DataTransfer', payload: req, receivedAt: deps.clock.now().toISOString() });
      return { status: 'UnknownVendorId' };
    },
  };
}
