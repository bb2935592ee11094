// Whether the Voltgate server answers. Any failed request flips it to "unreachable"; a quiet probe then
// retries until the server is back, and bumps `reconnects` so pages reload what they could not fetch.
import { createStore } from '../lib/store';
import { operatorKey } from './session';

export const serverReachable = createStore(true);
export const reconnects = createStore(0);

const PROBE_INTERVAL_MS = 3000;
let probeTimer: ReturnType<typeof setTimeout> | null = null;

export function markUnreachable(): void {
  serverReachable.set(false);
  scheduleProbe();
}

export function markReachable(): void {
  if (serverReachable.get()) return;
  serverReachable.set(true);
  reconnects.set(reconnects.get() + 1);
}

/** Checks now, e.g. when the live feed dropped: a feed that reconnects by itself is no outage. */
export function probeSoon(): void {
  if (probeTimer === null) probeTimer = setTimeout(probe, 500);
}

function scheduleProbe(): void {
  if (probeTimer === null) probeTimer = setTimeout(probe, PROBE_INTERVAL_MS);
}

async function probe(): Promise<void> {
  probeTimer = null;
  try {
    // Probe the API itself (a proxy may serve /healthz while /api is down); before sign-in there is
    // no key, and /healthz is the one thing to ask. Any answer from Voltgate, even 401, means it is up.
    const key = operatorKey.get();
    const response = key
      ? await fetch('/api/v1/charge-points?limit=1', { cache: 'no-store', headers: { Authorization: `Bearer ${key}` } })
      : await fetch('/healthz', { cache: 'no-store' });
    if (isGatewayFailure(response.status) && !(await hasVoltgateError(response))) throw new Error(`HTTP ${response.status}`);
    markReachable();
  } catch {
    markUnreachable();
  }
}

async function hasVoltgateError(response: Response): Promise<boolean> {
  try {
    const body = (await response.json()) as { error?: { message?: unknown } };
    return typeof body.error?.message === 'string';
  } catch {
    return false;
  }
}

/** 502/503 from a proxy in front of Voltgate, not a Voltgate answer (those carry an error body). */
export function isGatewayFailure(status: number): boolean {
  return status === 502 || status === 503;
}
