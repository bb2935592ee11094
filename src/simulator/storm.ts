// `voltgate bench --storm N`: a reconnect storm, and the idle fleet after it. N chargers connect and boot, then
// Voltgate is restarted on the same port and the same storage, and every charger reconnects at once the moment
// it listens again, as a fleet does after a restart or a site's network blip. Reported: chargers accepted and
// booted per second (N over the time from listening to the last boot answered), the boot latency percentiles
// (from a charger's connect to its BootNotification answer), and every refused or failed attempt. Then the
// fleet idles with heartbeats: the server's memory per charger, its CPU while idle, and the heartbeat p99.
import { createServer } from 'node:net';
import { connectRpc } from '../ocpp/rpc/client.js';
import { chargerEndpoint, tlsEnv, type BenchTls } from './bench-tls.js';
import type { RpcConnection } from '../ocpp/rpc/connection.js';
import { createValidators } from '../ocpp/schemas/validators.js';
import { freshStorage } from './fresh-database.js';
import { readProcessUsage } from './process-usage.js';
import { startServerProcess, type ServerProcess } from './server-process.js';
import { LatencyRecorder } from './stats.js';

export interface StormOptions {
  chargers: number;
  /** PostgreSQL server for a fresh database; embedded SQLite otherwise. */
  databaseUrl: string | null;
  /** Connection attempts in flight at once from this process (the client's own limit, not the server's). */
  concurrency: number;
  /** Seconds the fleet idles after the storm, each charger sending a Heartbeat every heartbeatS. */
  idleS: number;
  heartbeatS: number;
  /** Each server process writes its CPU profile here (the first one's, then the restarted one's). */
  cpuProfileDir: string | null;
  /** The server serves wss:// with this certificate, and the fleet connects over it (TLS handshakes in the storm). */
  tls?: BenchTls | null;
  progress: (line: string) => void;
}

export interface StormPhase {
  /** Chargers accepted and booted per second: all of them over the time from listening to the last boot. */
  bootedPerSecond: number;
  seconds: number;
  bootP50Ms: number;
  bootP99Ms: number;
  /** Attempts that failed (refused, reset, timed out) and were tried again. */
  failedAttempts: number;
  /** Chargers never booted in the phase. */
  missing: number;
}

export interface StormResult {
  chargers: number;
  storage: string;
  /** The fleet's first connection, all at once. */
  firstConnect: StormPhase;
  /** After Voltgate's restart. */
  reconnect: StormPhase;
  /** Seconds from SIGTERM to the new server listening (shutdown and start-up). */
  restartS: number;
  /** The server's memory per charger over its own start-up baseline, its CPU while idle, and the heartbeats' latency. */
  idle: { seconds: number; serverRssKiBPerCharger: number; serverCpuPercent: number; heartbeatP99Ms: number; heartbeats: number; failed: number } | null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A free port for the server, so that it restarts where its chargers reconnect. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const BOOT = { chargePointVendor: 'Voltgate', chargePointModel: 'Storm' };

/**
 * The bench's own limit, not the server's: from one address, tens of thousands of connections (and as many in
 * TIME_WAIT after a restart) exhaust the ephemeral ports, and each connect() then searches the range in the
 * kernel (most of the bench's CPU at 19,500 chargers). Spread over 127.0.0.2–127.0.0.65, each address has its own.
 */
const localAddressOf = (index: number) => `127.0.0.${2 + (index % 64)}`;

export async function runStorm(options: StormOptions): Promise<StormResult> {
  const cleanups: Array<() => Promise<void>> = [];
  const validators = createValidators('ocpp1.6');
  const connections: Array<RpcConnection | null> = Array.from({ length: options.chargers }, () => null);
  try {
    const { env: storageEnv, storage } = await freshStorage(options.databaseUrl, cleanups);
    // Fixed ports: the restarted server must be where the fleet reconnects.
    const env = { ...storageEnv, ...tlsEnv(options.tls), PORT: String(await freePort()), ...(options.tls ? { VOLTGATE_TLS_PORT: String(await freePort()) } : {}) };
    let server: ServerProcess = await startServerProcess(env, options.cpuProfileDir);
    cleanups.unshift(() => server.stop());
    const { url, credentials } = chargerEndpoint(server, options.tls);
    const prefix = `STORM-${Date.now().toString(36)}-`;

    /** Every charger not connected now connects and boots, at most `concurrency` attempts at a time, until all are back. */
    const connectAll = async (phase: string): Promise<StormPhase> => {
      const boots = new LatencyRecorder();
      let failedAttempts = 0;
      let booted = 0;
      const started = performance.now();
      const waiting = connections.map((connection, index) => (connection ? -1 : index)).filter((index) => index >= 0);
      const deadline = started + 120_000;
      const worker = async () => {
        for (let index = waiting.pop(); index !== undefined; index = waiting.pop()) {
          for (let attempt = 0; performance.now() < deadline; attempt++) {
            const at = performance.now();
            try {
              const id = `${prefix}${index + 1}`;
              const connection = await connectRpc({ url: `${url}/${id}`, identity: id, protocols: ['ocpp1.6'], validators, handlers: {}, callTimeoutMs: 30_000, localAddress: localAddressOf(index), ...credentials });
              connection.on('close', () => {
                if (connections[index] === connection) connections[index] = null;
              });
              connection.on('error', () => {});
              await connection.call('BootNotification', BOOT);
              boots.record(performance.now() - at, true);
              connections[index] = connection;
              if (++booted % 1000 === 0) options.progress(`${phase}: ${booted}/${options.chargers} booted`);
              break;
            } catch {
              failedAttempts++;
              // As a charger does: a moment's back-off, a little longer each time.
              await sleep(Math.min(100 * 2 ** attempt, 2000) * (0.5 + Math.random()));
            }
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(options.concurrency, waiting.length) }, worker));
      const seconds = (performance.now() - started) / 1000;
      const [p50, p99] = boots.percentiles(50, 99);
      return {
        bootedPerSecond: Math.round(booted / seconds),
        seconds: Math.round(seconds * 100) / 100,
        bootP50Ms: p50,
        bootP99Ms: p99,
        failedAttempts,
        missing: connections.filter((connection) => connection === null).length,
      };
    };

    options.progress(`connecting ${options.chargers} chargers…`);
    const firstConnect = await connectAll('first connect');

    options.progress('restarting voltgate serve on the same port and storage…');
    const stopAt = performance.now();
    await server.stop();
    server = await startServerProcess(env, options.cpuProfileDir);
    // The restarted server's memory before any charger is back: what the fleet adds is measured against it.
    const baselineRssBytes = readProcessUsage(server.pid).rssBytes;
    const restartS = Math.round(((performance.now() - stopAt) / 1000) * 100) / 100;
    // Every charger whose connection the restart closed reconnects now, all at once.
    for (let i = 0; i < 100 && connections.some((connection) => connection?.isOpen); i++) await sleep(50);
    connections.fill(null);
    const reconnect = await connectAll('reconnect');

    let idle: StormResult['idle'] = null;
    if (options.idleS > 0) idle = await idleFleet(server, baselineRssBytes, connections, options);
    for (const connection of connections) connection?.terminate();
    return { chargers: options.chargers, storage, firstConnect, reconnect, restartS, idle };
  } finally {
    for (const connection of connections) connection?.terminate();
    for (const cleanup of cleanups) await cleanup().catch(() => {});
  }
}

/** The fleet idles: each charger heartbeats every heartbeatS (spread evenly); the server is measured meanwhile. */
async function idleFleet(server: ServerProcess, baselineRssBytes: number, connections: Array<RpcConnection | null>, options: StormOptions): Promise<NonNullable<StormResult['idle']>> {
  options.progress(`idling for ${options.idleS}s, a Heartbeat from each charger every ${options.heartbeatS}s…`);
  const heartbeats = new LatencyRecorder();
  let failed = 0;
  const open = connections.filter((connection): connection is RpcConnection => connection !== null);
  const before = readProcessUsage(server.pid);
  const started = performance.now();
  const end = started + options.idleS * 1000;
  const spacingMs = (options.heartbeatS * 1000) / Math.max(1, open.length);
  const timers: NodeJS.Timeout[] = [];
  open.forEach((connection, index) => {
    const beat = () => {
      if (performance.now() >= end) return;
      const at = performance.now();
      connection.call('Heartbeat', {}).then(
        () => heartbeats.record(performance.now() - at, true),
        () => failed++,
      );
    };
    timers.push(
      setTimeout(() => {
        beat();
        timers.push(setInterval(beat, options.heartbeatS * 1000));
      }, index * spacingMs),
    );
  });
  await sleep(options.idleS * 1000);
  const after = readProcessUsage(server.pid);
  for (const timer of timers) clearTimeout(timer);
  const seconds = (performance.now() - started) / 1000;
  const [p99] = heartbeats.percentiles(99);
  return {
    seconds: Math.round(seconds),
    serverRssKiBPerCharger: Math.round(((after.rssBytes - baselineRssBytes) / 1024 / Math.max(1, open.length)) * 10) / 10,
    serverCpuPercent: Math.round(((after.cpuMs - before.cpuMs) / (seconds * 1000)) * 1000) / 10,
    heartbeatP99Ms: p99,
    heartbeats: heartbeats.count,
    failed,
  };
}
