// What the API's command route may send a charger, by the dialect it speaks: that dialect's CSMS-initiated
// actions, each payload checked against the official request schema before it leaves.
import type { OutboundSchemas } from '../domain/commands/send.js';
import { createValidators, type OcppProtocol } from './schemas/validators.js';
import { messageCodecs } from './soap/codec.js';
import type { WsdlService } from './soap/wsdl.js';
import { CSMS_ACTIONS_V16, SESSION_CONTROL_V16 } from './v16/outbound.js';
import { CSMS_ACTIONS_V201, SESSION_CONTROL_V201 } from './v201/outbound.js';

const CSMS_ACTIONS: Record<OcppProtocol, readonly string[]> = { 'ocpp1.6': CSMS_ACTIONS_V16, 'ocpp2.0.1': CSMS_ACTIONS_V201 };
/** Remote start and stop in every dialect (the SOAP ones name them as 1.6 does). */
const SESSION_CONTROL = new Set<string>([...SESSION_CONTROL_V16, ...SESSION_CONTROL_V201]);

/**
 * A charger without a negotiated protocol (not connected) is checked as 1.6, the server's default. A SOAP
 * dialect's actions and payloads are its ChargePointService WSDL's.
 */
export function outboundSchemas(soapServices: Readonly<Record<string, WsdlService>> = {}): OutboundSchemas {
  const soap = new Map(
    Object.entries(soapServices).map(([protocol, service]) => {
      const codecs = messageCodecs(service);
      const check = (action: string, payload: unknown) => codecs.get(service.operations.get(action)!.request.element)!.check(payload);
      return [protocol, { actions: [...service.operations.keys()], check }] as const;
    }),
  );
  const dialectOf = (protocol: string | null): OcppProtocol => (protocol === 'ocpp2.0.1' ? 'ocpp2.0.1' : 'ocpp1.6');
  const actions = Object.fromEntries(
    (Object.keys(CSMS_ACTIONS) as OcppProtocol[]).map((p) => [p, CSMS_ACTIONS[p].filter((a) => createValidators(p).knows(a))]),
  ) as Record<OcppProtocol, string[]>;
  return {
    actions: (protocol) => soap.get(protocol ?? '')?.actions ?? actions[dialectOf(protocol)],
    check: (protocol, action, payload) => {
      const wsdl = soap.get(protocol ?? '');
      return wsdl ? wsdl.check(action, payload) : (createValidators(dialectOf(protocol)).validateRequest(action, payload)?.message ?? null);
    },
    controlsSession: (action) => SESSION_CONTROL.has(action),
  };
}
