// One delivery attempt: a signed POST that must be answered (any 2xx) within the timeout. It never throws;
// the outcome is what the delivery log shows.
import { eventBody, type DomainEvent } from '../types.js';
import { EVENT_HEADER, SIGNATURE_HEADER, signBody } from './sign.js';

export interface AttemptResult {
  ok: boolean;
  status: number | null;
  error: string | null;
  durationMs: number;
}

/** `cancel` aborts the attempt at shutdown; its result is then not worth recording. */
export async function deliver(url: string, secret: string, event: DomainEvent, timeoutMs: number, cancel?: AbortSignal): Promise<AttemptResult> {
  const body = eventBody(event);
  const started = performance.now();
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = cancel ? AbortSignal.any([timeout, cancel]) : timeout;
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signBody(secret, body), [EVENT_HEADER]: event.event },
      body,
      signal,
      redirect: 'manual',
    });
    // The body is not read for its content, only drained so the connection can be reused.
    await response.arrayBuffer().catch(() => undefined);
    return { ok: response.ok, status: response.status, error: response.ok ? null : `receiver answered HTTP ${response.status}`, durationMs: elapsed() };
  } catch (error) {
    const reason = timeout.aborted
      ? `timed out after ${timeoutMs} ms`
      : error instanceof Error
        ? ((error.cause as Error | undefined)?.message ?? error.message)
        : String(error);
    return { ok: false, status: null, error: reason, durationMs: elapsed() };
  }
}
