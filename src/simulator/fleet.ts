// Many simulated chargers at once: connected with bounded concurrency, run together, stopped together.
import { SimulatedCharger, type SimulatedChargerOptions } from './charger.js';

export interface FleetOptions extends Omit<SimulatedChargerOptions, 'id'> {
  count: number;
  prefix: string;
  /** How many WebSocket handshakes may be in flight at once. */
  connectConcurrency?: number;
  onConnected?: (connected: number) => void;
  /** The ID tags of the i-th charger's drivers, when they differ per charger. */
  idTagsOf?: (index: number) => string[];
  /** The i-th charger's firstSessionMeterValues. */
  firstSessionMeterValuesOf?: (index: number) => number;
}

export async function connectFleet(options: FleetOptions): Promise<SimulatedCharger[]> {
  const chargers = Array.from(
    { length: options.count },
    (_, i) =>
      new SimulatedCharger({
        ...options,
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

export function closeFleet(chargers: SimulatedCharger[]): void {
  for (const charger of chargers) charger.close();
}
