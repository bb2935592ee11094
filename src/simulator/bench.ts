// `voltgate bench`: thousands of simulated chargers running the full session mix against a server it starts
// (or a URL), reporting CALLs/s, latency percentiles, server CPU per CALL and memory per connection.
import pg from 'pg';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProfile } from './profile.js';
import { closeFleet, connectFleet } from './fleet.js';
import { readProcessUsage } from './process-usage.js';
import { startServerProcess, type ServerProcess } from './server-process.js';
import { LatencyRecorder, createPacer } from './stats.js';

export interface BenchOptions {
  chargers: number;
  durationS: number;
  warmupS: number;
  /** Offered CALLs/s; 0 = every charger as fast as the server answers (saturation). */
  rate: number;
  /** An already running CSMS (ws://…/ocpp) instead of one started here. */
  url: string | null;
  apiUrl: string | null;
  apiKey: string | null;
  /** PostgreSQL server for the started CSMS; a fresh database is created on it and dropped afterwards. */
  databaseUrl: string | null;
  idTag: string;
  progress: (line: string) => void;
}

export interface BenchResult {
  chargers: number;
  storage: string;
  offeredRate: number | null;
  durationS: number;
  calls: number;
  failures: number;
  callsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  serverCpuMsPerCall: number | null;
  serverCpuUtilisation: number | null;
  memoryPerConnectionKiB: number | null;
  sessionsCompleted: number;
  /** The same percentiles per OCPP action, to see which message the tail comes from. */
  byAction: Record<string, { calls: number; p50Ms: number; p95Ms: number; p99Ms: number }>;
}

async function withFreshDatabase(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `voltgate_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const cleanups: Array<() => Promise<void>> = [];
  try {
    let server: ServerProcess | null = null;
    let wsUrl = options.url;
    let apiUrl = options.apiUrl;
    let apiKey = options.apiKey;
    let storage = 'external';
    if (!wsUrl) {
      const env: Record<string, string> = {};
      const dataDir = await mkdtemp(join(tmpdir(), 'voltgate-bench-'));
      cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
      env.VOLTGATE_DATA_DIR = dataDir;
      storage = 'sqlite';
      if (options.databaseUrl) {
        const db = await withFreshDatabase(options.databaseUrl);
        cleanups.push(db.drop);
        env.DATABASE_URL = db.url;
        storage = 'postgres';
      }
      options.progress(`starting voltgate serve (${storage})…`);
      server = await startServerProcess(env);
      cleanups.unshift(() => server!.stop());
      wsUrl = server.wsUrl;
      apiUrl = server.httpUrl;
      apiKey = server.apiKey;
    }
    // One card per simulated driver, as on a real site: a tag may be in one session at a time (ConcurrentTx).
    const tagOf = (index: number) => `${options.idTag}-${index + 1}`;
    const latency = new LatencyRecorder();
    const latencyByAction = new Map<string, LatencyRecorder>();
    let measuring = false;
    const before = server ? readProcessUsage(server.pid) : null;
    const profile = { ...loadProfile('generic'), connectors: 1 };
    const chargers = await connectFleet({
      url: wsUrl,
      count: options.chargers,
      prefix: `BENCH-${Date.now().toString(36)}-`,
      profile,
      idTags: [options.idTag],
      idTagsOf: (index) => [tagOf(index)],
      // The mix the bar names: Authorize, StartTransaction, meter values, StopTransaction; no status reports.
      reportsSessionStatus: false,
      // Out of step, as a real fleet is: each charger's first session is cut short by a different number of
      // meter values, so at any moment the fleet sends the whole mix, not a thousand stops in the same second.
      firstSessionMeterValuesOf: (index) => index % (profile.meterValuesPerSession + 1),
      sessions: 0,
      meterIntervalMs: 0,
      idleMs: 0,
      connectConcurrency: 100,
      callTimeoutMs: 60_000,
      pace: options.rate > 0 ? createPacer(options.rate) : undefined,
      onCall: (action, ms, ok) => {
        if (!measuring) return;
        latency.record(ms, ok);
        let perAction = latencyByAction.get(action);
        if (!perAction) latencyByAction.set(action, (perAction = new LatencyRecorder()));
        perAction.record(ms, ok);
      },
      onConnected: (n) => {
        if (n % 100 === 0 || n === options.chargers) options.progress(`connected ${n}/${options.chargers}`);
      },
    });
    cleanups.unshift(async () => closeFleet(chargers));
    const connectedUsage = server ? readProcessUsage(server.pid) : null;
    const memoryPerConnectionKiB =
      before && connectedUsage ? (connectedUsage.rssBytes - before.rssBytes) / 1024 / options.chargers : null;
    // After the memory reading: the registration's garbage must not be mistaken for connection memory.
    if (apiUrl && apiKey) {
      options.progress(`registering ${options.chargers} ID tags…`);
      let next = 0;
      const register = async () => {
        while (next < options.chargers) {
          const tag = tagOf(next++);
          const response = await fetch(`${apiUrl}/api/v1/id-tags/${encodeURIComponent(tag)}`, {
            method: 'PUT',
            headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
            body: JSON.stringify({ status: 'Accepted' }),
          });
          if (!response.ok) throw new Error(`could not create the bench ID tag ${tag}: HTTP ${response.status}`);
        }
      };
      await Promise.all(Array.from({ length: 20 }, register));
    }


    const running = chargers.map((c) =>
      c.run().catch((error: Error) => {
        if (!measuring) return;
        latency.record(0, false);
        options.progress(`charger ${c.id} stopped: ${error.message}`);
      }),
    );
    options.progress(`warming up for ${options.warmupS}s…`);
    await new Promise((r) => setTimeout(r, options.warmupS * 1000));
    latency.reset();
    latencyByAction.clear();
    measuring = true;
    const cpuStart = server ? readProcessUsage(server.pid).cpuMs : 0;
    const started = performance.now();
    for (let s = 1; s <= options.durationS; s++) {
      await new Promise((r) => setTimeout(r, 1000));
      const elapsed = (performance.now() - started) / 1000;
      const [p50, p99] = latency.percentiles(50, 99);
      options.progress(`${s}/${options.durationS}s  ${Math.round(latency.count / elapsed)} CALLs/s  p50 ${p50.toFixed(1)} ms  p99 ${p99.toFixed(1)} ms`);
    }
    measuring = false;
    const elapsedS = (performance.now() - started) / 1000;
    const cpuMs = server ? readProcessUsage(server.pid).cpuMs - cpuStart : null;
    for (const c of chargers) c.stop();
    const [p50, p95, p99] = latency.percentiles(50, 95, 99);
    const sessionsCompleted = chargers.reduce((sum, c) => sum + c.sessionsCompleted, 0);
    void running;
    return {
      chargers: options.chargers,
      storage,
      offeredRate: options.rate > 0 ? options.rate : null,
      durationS: Math.round(elapsedS * 10) / 10,
      calls: latency.count,
      failures: latency.failures,
      callsPerSecond: Math.round(latency.count / elapsedS),
      p50Ms: p50,
      p95Ms: p95,
      p99Ms: p99,
      serverCpuMsPerCall: cpuMs === null ? null : cpuMs / Math.max(1, latency.count),
      serverCpuUtilisation: cpuMs === null ? null : cpuMs / (elapsedS * 1000),
      memoryPerConnectionKiB,
      sessionsCompleted,
      byAction: Object.fromEntries(
        [...latencyByAction].map(([action, recorder]) => {
          const [a50, a95, a99] = recorder.percentiles(50, 95, 99);
          return [action, { calls: recorder.count, p50Ms: a50, p95Ms: a95, p99Ms: a99 }];
        }),
      ),
    };
  } finally {
    for (const cleanup of cleanups) await cleanup().catch(() => {});
  }
}
