// The bench over TLS: the server it starts gets this certificate (on a port of its own, beside the plain one), and
// the simulated chargers connect to wss:// trusting this CA.
import { readFileSync } from 'node:fs';
import type { ServerProcess } from './server-process.js';

export interface BenchTls {
  /** PEM files: the server's certificate and key, and the CA the chargers trust for it. */
  cert: string;
  key: string;
  ca: string;
}

export function tlsEnv(tls: BenchTls | null | undefined): Record<string, string> {
  return tls ? { VOLTGATE_TLS_CERT: tls.cert, VOLTGATE_TLS_KEY: tls.key, VOLTGATE_TLS_PORT: '0' } : {};
}

/** The endpoint the chargers use, and what they need to trust it. */
export function chargerEndpoint(server: ServerProcess, tls: BenchTls | null | undefined): { url: string; credentials: { tls?: { ca: string } } } {
  if (!tls) return { url: server.wsUrl, credentials: {} };
  if (!server.wssUrl) throw new Error('the server did not report a wss:// endpoint');
  return { url: server.wssUrl, credentials: { tls: { ca: readFileSync(tls.ca, 'utf8') } } };
}
