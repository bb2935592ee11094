// A real HTTP server standing in for an operator's authorization service: what it answers, and how slowly,
// is set by the test; every request it got is kept with its headers.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AuthorizerRequest {
  body: string;
  json: Record<string, unknown>;
  headers: IncomingHttpHeaders;
}

export type Behaviour = (request: AuthorizerRequest) => { status?: number; body: string; delayMs?: number };

export interface FakeAuthorizer {
  url: string;
  requests: AuthorizerRequest[];
  behave(behaviour: Behaviour): void;
  close(): Promise<void>;
}

export const answer = (json: unknown, delayMs = 0): Behaviour => () => ({ body: JSON.stringify(json), delayMs });

export async function startFakeAuthorizer(initial: Behaviour = answer({ status: 'Accepted' })): Promise<FakeAuthorizer> {
  let behaviour = initial;
  const requests: AuthorizerRequest[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const request = { body, json: JSON.parse(body) as Record<string, unknown>, headers: req.headers };
      requests.push(request);
      const reply = behaviour(request);
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(reply.status ?? 200, { 'content-type': 'application/json' });
        res.end(reply.body);
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs).unref();
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/authorize`,
    requests,
    behave(next) {
      behaviour = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
