// Starts the real Voltgate server on a free port over a fresh database (SQLite, or PostgreSQL when
// DATABASE_URL is set), with helpers to act as a charger (real WebSocket) and as an integrator (real HTTP).
import pino from 'pino';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { createServer, type VoltgateServer } from '../../src/server/create-server.js';
import { connectRpc } from '../../src/ocpp/rpc/client.js';
import type { RpcConnection } from '../../src/ocpp/rpc/connection.js';
import { freshStorageOptions, type FreshStorage } from './test-database.js';

export const TEST_API_KEY = 'test-operator-key';

export interface TestServer {
  server: VoltgateServer;
  httpUrl: string;
  wsUrl: string;
  /** The TLS port's URLs, when the server has a certificate. */
  tls: { port: number; httpsUrl: string; wssUrl: string } | null;
  config: Config;
  /** fetch() against the API with the operator key. */
  api(path: string, init?: RequestInit): Promise<Response>;
  /** Connects a charger speaking OCPP 1.6 (or the given subprotocols). */
  charger(id: string, options?: { protocols?: string[]; handlers?: Record<string, (payload: any) => unknown> }): Promise<RpcConnection>;
  /** Stops the server and starts a new one on the same database (same port not guaranteed). */
  restart(overrides?: Partial<Config>): Promise<void>;
  close(): Promise<void>;
}

/** `database`: one made by the test (e.g. reached through a TcpProxy); cleaned up by close() all the same. */
export async function startTestServer(overrides: Partial<Config> = {}, options: { database?: FreshStorage; logger?: pino.Logger } = {}): Promise<TestServer> {
  const database = options.database ?? (await freshStorageOptions());
  const sockets = new Set<RpcConnection>();
  const base: Config = {
    ...loadConfig({}),
    port: 0,
    host: '127.0.0.1',
    dataDir: database.dataDir,
    databaseUrl: database.databaseUrl,
    apiKey: TEST_API_KEY,
    logLevel: 'silent',
    unknownChargers: 'accept',
    pingIntervalMs: 0,
  };
  let config: Config = { ...base, ...overrides };
  const logger = options.logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

  const boot = async () => {
    const server = await createServer(config, { logger });
    const urls = await server.listen();
    return { server, ...urls };
  };
  let current: Awaited<ReturnType<typeof boot>>;
  try {
    current = await boot();
  } catch (error) {
    // A server that did not start (a bad setting, say) leaves no database behind.
    await database.cleanup();
    throw error;
  }

  const handle: TestServer = {
    get server() {
      return current.server;
    },
    get httpUrl() {
      return current.httpUrl;
    },
    get wsUrl() {
      return current.wsUrl;
    },
    get tls() {
      return current.tls;
    },
    get config() {
      return config;
    },
    api(path, init = {}) {
      const headers = new Headers(init.headers);
      if (!headers.has('authorization')) headers.set('authorization', `Bearer ${TEST_API_KEY}`);
      return fetch(`${current.httpUrl}${path}`, { ...init, headers });
    },
    async charger(id, options = {}) {
      const connection = await connectRpc({
        url: `${current.wsUrl}/${encodeURIComponent(id)}`,
        identity: id,
        protocols: options.protocols ?? ['ocpp1.6'],
        handlers: (options.handlers ?? {}) as Record<string, (payload: any) => Promise<unknown>>,
        callTimeoutMs: 5000,
      });
      sockets.add(connection);
      return connection;
    },
    async restart(more = {}) {
      for (const socket of sockets) socket.terminate();
      sockets.clear();
      await current.server.close();
      config = { ...config, ...more };
      current = await boot();
    },
    async close() {
      for (const socket of sockets) socket.terminate();
      await current.server.close();
      await database.cleanup();
    },
  };
  return handle;
}

/** A BootNotification a real charger would send. */
export const bootPayload = { chargePointVendor: 'Voltgate', chargePointModel: 'TestCharger' };
