// A real HTTP server standing in for an integrator's webhook endpoint: it keeps every delivery with its
// headers, answers with the status the test sets, and can go down (connection refused) and come back on
// the same port.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Delivery {
  body: string;
  json: { id: string; event: string; occurredAt: string; data: Record<string, any> };
  headers: IncomingHttpHeaders;
}

export interface WebhookReceiver {
  url: string;
  deliveries: Delivery[];
  /** The status answered from now on (200 by default). */
  answer(status: number): void;
  /** Answers this late from now on (0: at once). */
  delay(ms: number): void;
  /** Stops listening: deliveries get connection refused. */
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  let status = 200;
  let delayMs = 0;
  const deliveries: Delivery[] = [];
  const make = () =>
    createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        const reply = () => {
          if (res.destroyed) return;
          if (status >= 200 && status < 300) deliveries.push({ body, json: JSON.parse(body), headers: req.headers });
          res.writeHead(status).end();
        };
        if (delayMs) setTimeout(reply, delayMs).unref();
        else reply();
      });
    });
  let server: Server | null = make();
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (!server) return resolve();
      const closing = server;
      server = null;
      closing.closeAllConnections();
      closing.close(() => resolve());
    });
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    deliveries,
    answer(next) {
      status = next;
    },
    delay(ms) {
      delayMs = ms;
    },
    down: stop,
    async up() {
      server = make();
      await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
    },
    close: stop,
  };
}

/** Polls until check() returns a truthy value, or fails after timeoutMs. */
export async function waitFor<T>(check: () => T | Promise<T>, timeoutMs = 10_000, what = 'condition'): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
