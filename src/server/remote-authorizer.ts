// The operator's authorizer over HTTP (PRODUCT.md "Remote authorization"): a signed JSON POST that must be
// answered within the timeout, body included. Slow, down, a non-2xx or a body that is not JSON all reject,
// and the domain then lets the whitelist decide.
import type { RemoteAuthorizationRequest, RemoteAuthorizer } from '../domain/ports.js';
import { SIGNATURE_HEADER, signBody } from '../events/webhooks/sign.js';

// The same signature webhooks carry; re-exported for the callers that found it here.
export { SIGNATURE_HEADER, signBody };

export class HttpRemoteAuthorizer implements RemoteAuthorizer {
  constructor(
    private readonly url: string,
    private readonly timeoutMs: number,
    private readonly secret: string | null,
  ) {}

  async ask(request: RemoteAuthorizationRequest): Promise<unknown> {
    const body = JSON.stringify(request);
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-voltgate-event': 'authorization.requested' };
    if (this.secret) headers[SIGNATURE_HEADER] = signBody(this.secret, body);
    const signal = AbortSignal.timeout(this.timeoutMs);
    try {
      const response = await fetch(this.url, { method: 'POST', headers, body, signal });
      const text = await response.text();
      if (!response.ok) throw new Error(`authorizer answered HTTP ${response.status}`);
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new Error('authorizer answered a body that is not JSON');
      }
    } catch (error) {
      if (signal.aborted) throw new Error(`authorizer timed out after ${this.timeoutMs} ms`);
      if (error instanceof Error && error.message.startsWith('authorizer')) throw error;
      throw new Error(`authorizer unreachable: ${error instanceof Error ? (error.cause as Error | undefined)?.message ?? error.message : String(error)}`);
    }
  }
}
