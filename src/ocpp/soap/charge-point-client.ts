// Calls to a SOAP charger's ChargePointService (OCPP 1.5/1.6) at the address it announced, each failure in the
// domain's words: no address (409), no answer in time (504), no SOAP answer or none at all (502), or the
// charger's own fault (502, naming its code). Nothing waits longer than the call timeout.
import {
  ChargerCallError,
  ChargerFeatureNotSupportedError,
  ChargerNotConnectedError,
  ChargerTimeoutError,
  ChargerUnreachableError,
} from '../../domain/commands/errors.js';
import { callSoap, SoapCallError } from './client.js';
import { messageCodecs } from './codec.js';
import type { WsdlService } from './wsdl.js';

export interface ChargePointClientOptions {
  /** Each SOAP dialect's ChargePointService. */
  services: Readonly<Record<string, WsdlService>>;
  endpointOf(chargePointId: string): string | null;
  /** Our own Central System service address, as this charger calls it: sent as wsa:From. */
  ownAddress(chargePointId: string): string;
}

export class SoapChargePointClient {
  constructor(private readonly options: ChargePointClientOptions) {}

  /** The charger's answer to `action`, as JSON; rejects with the domain's ChargerCommandErrors. */
  async call(chargePointId: string, protocol: string, action: string, payload: unknown, timeoutMs: number): Promise<unknown> {
    const service = this.options.services[protocol];
    if (!service?.operations.has(action)) throw new ChargerFeatureNotSupportedError(chargePointId, action, `${protocol} has no ${action} operation`);
    const endpoint = this.options.endpointOf(chargePointId);
    if (!endpoint) {
      throw new ChargerNotConnectedError(chargePointId, `charge point '${chargePointId}' has announced no SOAP endpoint (wsa:From): set its soapEndpoint to reach it`);
    }
    try {
      return await callSoap({ service, codecs: messageCodecs(service), endpoint, chargeBoxIdentity: chargePointId, action, payload, from: this.options.ownAddress(chargePointId), timeoutMs });
    } catch (error) {
      if (!(error instanceof SoapCallError)) throw error;
      const prefix = `charge point '${chargePointId}' `;
      switch (error.kind) {
        case 'timeout':
          throw new ChargerTimeoutError(chargePointId, action, timeoutMs);
        case 'fault':
          throw new ChargerCallError(chargePointId, action, error.code ?? 'Fault', error.reason);
        case 'invalid-answer':
          throw new ChargerCallError(chargePointId, action, 'FormationViolation', error.message);
        default:
          throw new ChargerUnreachableError(chargePointId, prefix + error.message);
      }
    }
  }
}
