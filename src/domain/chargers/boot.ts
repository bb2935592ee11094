// BootNotification: decide the charger's registration and record what it told us about itself.
import type { Clock, RegistrationStatus } from '../ports.js';
import type { ChargerRegistry } from './registry.js';

export interface BootInput {
  chargePointId: string;
  protocol: string;
  vendor: string;
  model: string;
  serialNumber: string | null;
  firmwareVersion: string | null;
}

export interface BootDecision {
  status: RegistrationStatus;
  currentTime: string;
  intervalS: number;
}

export async function bootCharger(
  deps: { registry: ChargerRegistry; clock: Clock; heartbeatIntervalS: number },
  input: BootInput,
): Promise<BootDecision> {
  const now = deps.clock.now();
  const status = deps.registry.registrationFor(input.chargePointId);
  await deps.registry.recordBoot({ ...input, id: input.chargePointId, registrationStatus: status, bootedAt: now.toISOString() });
  // A charger that is not accepted retries its boot after `interval`; keep that short so it is let in soon.
  const intervalS = status === 'Accepted' ? deps.heartbeatIntervalS : Math.min(deps.heartbeatIntervalS, 60);
  return { status, currentTime: now.toISOString(), intervalS };
}
