// Many simulated chargers at once, all of one OCPP version: connected with bounded concurrency, run together,
// stopped together.
import { SimulatedCharger, type SimulatedChargerOptions } from './charger.js';
import { SimulatedStationV201 } from './station-v201.js';

/** The protocols a simulated charger can speak. */
export const SIMULATOR_PROTOCOLS = ['ocpp1.6', 'ocpp2.0.1', 'ocpp1.6s', 'ocpp1.5s'] as const;
export type SimulatorProtocol = (typeof SIMULATOR_PROTOCOLS)[number];

/** What a fleet, the simulate command and the bench need of a charger, whatever its protocol. */
export interface SimulatedStation {
  readonly id: string;
  readonly sessionsCompleted: number;
  connect(): Promise<void>;
  run(): Promise<void>;
  stop(): void;
  close(): void;
}

export interface FleetOptions extends Omit<SimulatedChargerOptions, 'id'> {
  count: number;
  prefix: string;
  /** Default ocpp1.6. */
  protocol?: SimulatorProtocol;
  /** How many WebSocket handshakes may be in flight at once. */
  connectConcurrency?: number;
  onConnected?: (connected: number) => void;
  /** The ID tags of the i-th charger's drivers, when they differ per charger. */
  idTagsOf?: (index: number) => string[];
  /** The i-th charger's firstSessionMeterValues. */
  firstSessionMeterValuesOf?: (index: number) => number;
}

/** The Central System service of a SOAP dialect, on the same server as the WebSocket endpoint `url`. */
export function soapServiceUrl(url: string, protocol: 'ocpp1.6s' | 'ocpp1.5s'): string {
  const http = new URL(url.replace(/^ws/, 'http'));
  return `${http.origin}/soap/${protocol === 'ocpp1.6s' ? 'ocpp16' : 'ocpp15'}`;
}

export async function connectFleet(options: FleetOptions): Promise<SimulatedStation[]> {
  const Station = options.protocol === 'ocpp2.0.1' ? SimulatedStationV201 : SimulatedCharger;
  const soap = options.protocol === 'ocpp1.6s' ? '1.6' : options.protocol === 'ocpp1.5s' ? '1.5' : undefined;
  const chargers: SimulatedStation[] = Array.from(
    { length: options.count },
    (_, i) =>
      new Station({
        ...options,
        ...(soap ? { soap, url: soapServiceUrl(options.url, options.protocol as 'ocpp1.6s' | 'ocpp1.5s') } : {}),
        id: `${options.prefix}${i + 1}`,
        idTags: options.idTagsOf?.(i) ?? options.idTags,
        firstSessionMeterValues: options.firstSessionMeterValuesOf?.(i) ?? options.firstSessionMeterValues,
      }),
  );
  let next = 0;
  let connected = 0;
  const worker = async () => {
    while (next < chargers.length) {
      const charger = chargers[next++];
      await charger.connect();
      options.onConnected?.(++connected);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.connectConcurrency ?? 50, chargers.length) }, worker));
  return chargers;
}

export function closeFleet(chargers: SimulatedStation[]): void {
  for (const charger of chargers) charger.close();
}
