// What the local-list tests share, whatever the charger's OCPP version: a log of the calls a simulated charger
// received (its handlers record each call before answering), and the whitelist changes made through REST.
import assert from 'node:assert/strict';
import type { TestServer } from './server.js';

type Handler = (payload: any) => unknown;

/** The calls a simulated charger received, in order, with answers forced on its next SendLocalList calls. */
export class CallLog<Status extends string> {
  readonly received: Array<{ action: string; payload: any }> = [];
  /** Answers forced on the next SendLocalList calls, in order; then the simulated behaviour. */
  readonly script: Status[] = [];
  /** Every answer the charger gave to SendLocalList. */
  readonly answers: Status[] = [];

  sends(): any[] {
    return this.received.filter((r) => r.action === 'SendLocalList').map((r) => r.payload);
  }

  actions(): string[] {
    return this.received.map((r) => r.action);
  }

  since(from: number): Array<{ action: string; payload: any }> {
    return this.received.slice(from);
  }

  /** The simulated handlers, with `overrides` replacing some, each recording its call first. */
  handlers(simulated: Record<string, Handler>, overrides: Record<string, Handler> = {}): Record<string, Handler> {
    const handlers: Record<string, Handler> = {};
    for (const [action, handler] of Object.entries({ ...simulated, ...overrides })) {
      handlers[action] = (payload: unknown) => {
        this.received.push({ action, payload: structuredClone(payload) });
        return handler(payload);
      };
    }
    return handlers;
  }
}

export const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

export async function putTag(t: TestServer, idTag: string, body: Record<string, unknown>): Promise<void> {
  const r = await t.api(`/api/v1/id-tags/${encodeURIComponent(idTag)}`, { ...json(body), method: 'PUT' });
  assert.ok(r.status === 200 || r.status === 201, `PUT ${idTag}: ${r.status} ${await r.text()}`);
}

export async function deleteTag(t: TestServer, idTag: string): Promise<void> {
  assert.equal((await t.api(`/api/v1/id-tags/${encodeURIComponent(idTag)}`, { method: 'DELETE' })).status, 204);
}

export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 8000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
