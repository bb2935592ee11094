// OCPP 2.0.1 blocks B (provisioning), G (availability) and the reports a station sends unasked: the boot decides
// the station's registration like 1.6's, a connector's status is kept per EVSE, and what this version gives no
// meaning to yet (reports, events, firmware and log status) is logged and acknowledged as the spec answers it.
import { bootCharger } from '../../domain/chargers/boot.js';
import { recordConnectorStatus } from '../../domain/chargers/status.js';
import { securityEventNotification } from '../security-event.js';
import type { HandlerDeps } from '../handler-deps.js';
import type { V201Handlers } from './handlers.js';

export function provisioningHandlers(deps: HandlerDeps): V201Handlers {
  const noted = (what: string) => async (req: object, ctx: { identity: string }) => {
    await deps.messages?.record({ chargePointId: ctx.identity, action: what, payload: req, receivedAt: deps.clock.now().toISOString() });
    return {};
  };
  return {
    BootNotification: async (req, ctx) => {
      const station = req.chargingStation;
      const decision = await bootCharger(
        { registry: deps.registry, clock: deps.clock, heartbeatIntervalS: deps.heartbeatIntervalS },
        {
          chargePointId: ctx.identity,
          protocol: ctx.protocol,
          vendor: station.vendorName,
          model: station.model,
          serialNumber: station.serialNumber ?? null,
          firmwareVersion: station.firmwareVersion ?? null,
        },
      );
      deps.signals?.booted(ctx.identity, decision.status);
      return { status: decision.status, currentTime: decision.currentTime, interval: decision.intervalS };
    },

    Heartbeat: async () => ({ currentTime: deps.clock.now().toISOString() }),

    StatusNotification: async (req, ctx) => {
      await recordConnectorStatus(
        { chargePoints: deps.registry, clock: deps.clock, events: deps.events },
        // 2.0.1 reports no error code with a status (errors come as NotifyEvent).
        { chargePointId: ctx.identity, evseId: req.evseId, connectorId: req.connectorId, status: req.connectorStatus, errorCode: 'NoError', timestamp: req.timestamp },
      );
      return {};
    },

    DataTransfer: async (req, ctx) => {
      await noted('DataTransfer')(req, ctx);
      return { status: 'UnknownVendorId' };
    },

    NotifyReport: noted('NotifyReport'),
    NotifyEvent: noted('NotifyEvent'),
    NotifyMonitoringReport: noted('NotifyMonitoringReport'),
    SecurityEventNotification: securityEventNotification(deps),
    FirmwareStatusNotification: noted('FirmwareStatusNotification'),
    PublishFirmwareStatusNotification: noted('PublishFirmwareStatusNotification'),
    LogStatusNotification: noted('LogStatusNotification'),
    NotifyCustomerInformation: noted('NotifyCustomerInformation'),
    NotifyDisplayMessages: noted('NotifyDisplayMessages'),
    NotifyChargingLimit: noted('NotifyChargingLimit'),
    ClearedChargingLimit: noted('ClearedChargingLimit'),
    ReportChargingProfiles: noted('ReportChargingProfiles'),
    ReservationStatusUpdate: noted('ReservationStatusUpdate'),
    // No smart charging yet: no schedule will come for these needs (K15), and a schedule told of is noted.
    NotifyEVChargingNeeds: async (req, ctx) => {
      await noted('NotifyEVChargingNeeds')(req, ctx);
      return { status: 'Rejected' };
    },
    NotifyEVChargingSchedule: async (req, ctx) => {
      await noted('NotifyEVChargingSchedule')(req, ctx);
      return { status: 'Accepted' };
    },
    // The station's own certificate (A02, A03); an ISO 15118 (V2G) one needs the V2G PKI, which Voltgate has not.
    SignCertificate: async (req, ctx) => {
      await noted('SignCertificate')({ certificateType: req.certificateType }, ctx);
      if (req.certificateType === 'V2GCertificate' || !deps.certificateSigning) return { status: 'Rejected' };
      return { status: await deps.certificateSigning.answer(ctx.identity, req.csr) };
    },
    GetCertificateStatus: async () => ({ status: 'Failed' }),
    Get15118EVCertificate: async () => ({ status: 'Failed', exiResponse: '' }),
  };
}
