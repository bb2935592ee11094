// Simulator behaviour is data: a vendor profile is a JSON file in profiles/, read and checked here.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ChargerProfile {
  name: string;
  description: string;
  vendor: string;
  model: string;
  firmwareVersion: string;
  /** 1.6 connectors 1..n; 2.0.1 EVSEs 1..n, one connector each. */
  connectors: number;
  /** 1.6 only: a 2.0.1 station always offers ocpp2.0.1, or the CSMS would serve it 1.6. */
  offersSubprotocol: boolean;
  maxPowerW: number;
  meterValuesPerSession: number;
  /** 1.6 only: 2.0.1 sends every reading in a TransactionEvent anyway. */
  sendsTransactionData: boolean;
}

const PROFILE_DIR = join(dirname(fileURLToPath(import.meta.url)), 'profiles');

export function profileNames(): string[] {
  return readdirSync(PROFILE_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

export function loadProfile(name: string): ChargerProfile {
  if (!profileNames().includes(name)) {
    throw new Error(`unknown simulator profile "${name}" (known: ${profileNames().join(', ')})`);
  }
  const profile = JSON.parse(readFileSync(join(PROFILE_DIR, `${name}.json`), 'utf8')) as ChargerProfile;
  if (!Number.isInteger(profile.connectors) || profile.connectors < 1) throw new Error(`profile ${name}: connectors must be ≥ 1`);
  return profile;
}
