// `voltgate bench`: thousands of simulated chargers running the full session mix against a server it starts
// (or a URL), reporting CALLs/s, latency percentiles, server CPU per CALL and memory per connection. With a
// fault, the database is broken in the middle of the measured window, and what the server acknowledged is
// checked against the database afterwards.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProfile } from './profile.js';
import { closeFleet, connectFleet, type SimulatorProtocol } from './fleet.js';
import { readProcessUsage } from './process-usage.js';
import { startReferenceProcess, startServerProcess, type ServerProcess } from './server-process.js';
import { chargerEndpoint, tlsEnv, type BenchTls } from './bench-tls.js';
import type { ChargerCredentials } from './charger-link.js';
import { FailureCounter, LatencyRecorder, createPacer } from './stats.js';
import { readLongestStallMs } from './event-loop-stall.js';
import { TRANSACTION_MESSAGES } from './charger.js';
import { createFreshDatabase, type FreshDatabase } from './fresh-database.js';
import { registerBenchTags } from './bench-tags.js';
import { prepareFault } from './faults.js';
import { FaultRun, type FaultPlan, type FaultReport } from './fault-run.js';
import { Ledger } from './ledger.js';
import { ServiceTracker } from './service-gaps.js';
import { verifyLedger, type LedgerVerification } from './verify-ledger.js';
import { describeExit, watchServer, type ServerExit, type ServerFate } from './server-watch.js';

export interface BenchOptions {
  chargers: number;
  /** What the simulated chargers speak (default ocpp1.6): the same session mix either way. */
  protocol?: SimulatorProtocol;
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
  /** A database fault in the measured window; needs databaseUrl and a CSMS started here. */
  fault?: FaultPlan | null;
  /** Keep a ledger of what was acknowledged and check it against the database at the end (always with a fault). */
  verify?: boolean;
  /** The server started here writes its CPU profile into this folder when it exits (node --cpu-prof). */
  cpuProfileDir?: string | null;
  /** Drive the bare reference server (reference-server.ts) instead of Voltgate, with the same load. */
  reference?: boolean;
  /** The server started here serves wss:// with this certificate, and the chargers connect over it. */
  tls?: BenchTls | null;
  progress: (line: string) => void;
}

export interface BenchResult {
  chargers: number;
  protocol: SimulatorProtocol;
  storage: string;
  offeredRate: number | null;
  durationS: number;
  calls: number;
  failures: number;
  /** Calls answered with a CALLRESULT in the measured window. */
  acknowledged: number;
  /** CALLERRORs by code, calls that timed out, and calls lost with their connection (by reason). */
  callErrors: Record<string, number>;
  timeouts: number;
  lostCalls: Record<string, number>;
  callsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  serverCpuMsPerCall: number | null;
  serverCpuUtilisation: number | null;
  memoryPerConnectionKiB: number | null;
  /** The server's longest event-loop stall during the window (its /metrics), ms. */
  longestStallMs: number | null;
  sessionsCompleted: number;
  /** The same percentiles per OCPP action (a TransactionEvent per eventType), to see which message the tail comes from. */
  byAction: Record<string, { calls: number; p50Ms: number; p95Ms: number; p99Ms: number }>;
  /** The longest stretch of the window without an acknowledged StartTransaction, StopTransaction, MeterValues or TransactionEvent. */
  withoutService: { seconds: number; fromS: number; toS: number };
  fault: FaultReport | null;
  /** The CSMS the bench started: still running at the end, or how it ended. */
  server: ServerFate | null;
  /** What the chargers were acknowledged over the whole run (warm-up and stopping included). */
  ledger: { starts: number; stops: number; samples: number } | null;
  verification: LedgerVerification | null;
  verificationError: string | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const usageOf = (pid: number) => {
  try {
    return readProcessUsage(pid);
  } catch {
    return null; // the server process is gone
  }
};

function serverFate(exit: ServerExit | null, windowStart: number, faultRun: FaultRun | null): ServerFate {
  if (!exit) return { running: true, exitCode: null, signal: null, exitedAtS: null, exitedDuringFault: false };
  return {
    running: false,
    exitCode: exit.exitCode,
    signal: exit.signal,
    exitedAtS: Math.round((exit.atMs - windowStart) / 100) / 10,
    exitedDuringFault: faultRun?.wasInProgressAt(exit.atMs) ?? false,
  };
}

export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const protocol = options.protocol ?? 'ocpp1.6';
  const fault = options.fault ?? null;
  const verify = Boolean(fault) || Boolean(options.verify);
  if (verify && (options.url || !options.databaseUrl || options.reference)) {
    throw new Error(`${fault ? '--fault' : '--verify'} needs --database-url (PostgreSQL) and a server the bench starts (no --url)`);
  }
  const cleanups: Array<() => Promise<void>> = [];
  try {
    let server: ServerProcess | null = null;
    let db: FreshDatabase | null = null;
    let faultRun: FaultRun | null = null;
    let wsUrl = options.url;
    let credentials: ChargerCredentials = {};
    let apiUrl = options.apiUrl;
    let apiKey = options.apiKey;
    let storage = 'external';
    if (options.reference) {
      options.progress('starting the reference server (a bare ws server with fixed answers)…');
      server = await startReferenceProcess();
      wsUrl = server.wsUrl;
      storage = 'none (reference)';
    } else if (!wsUrl) {
      const env: Record<string, string> = { ...tlsEnv(options.tls) };
      const dataDir = await mkdtemp(join(tmpdir(), 'voltgate-bench-'));
      cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
      env.VOLTGATE_DATA_DIR = dataDir;
      storage = 'sqlite';
      if (options.databaseUrl) {
        db = await createFreshDatabase(options.databaseUrl);
        cleanups.push(db.drop);
        env.DATABASE_URL = db.url;
        storage = 'postgres';
        if (fault) {
          const prepared = await prepareFault(fault.kind, { databaseUrl: db.url, databaseName: db.name, adminUrl: options.databaseUrl, durationS: fault.durationS });
          cleanups.unshift(() => prepared.close());
          env.DATABASE_URL = prepared.serverDatabaseUrl;
          faultRun = new FaultRun(prepared, fault, options.progress);
        }
      }
      const viaProxy = db !== null && env.DATABASE_URL !== db.url;
      options.progress(`starting voltgate serve (${storage}${viaProxy ? ', through the fault proxy' : ''})…`);
      server = await startServerProcess(env, options.cpuProfileDir ?? null);
      const endpoint = chargerEndpoint(server, options.tls);
      wsUrl = endpoint.url;
      credentials = endpoint.credentials;
      apiUrl = server.httpUrl;
      apiKey = server.apiKey;
    }
    const serverWatch = server
      ? watchServer(server, (exit) => options.progress(`server process exited (${describeExit(exit)})${faultRun?.inProgress ? ' during the fault' : ''}`))
      : null;
    if (serverWatch) cleanups.unshift(() => serverWatch.stop());
    // One card per simulated driver, as on a real site: a tag may be in one session at a time (ConcurrentTx).
    const tagOf = (index: number) => `${options.idTag}-${index + 1}`;
    const latency = new LatencyRecorder();
    const latencyByAction = new Map<string, LatencyRecorder>();
    const failures = new FailureCounter();
    const ledger = verify ? new Ledger() : null;
    let service = new ServiceTracker(performance.now());
    let measuring = false;
    const before = server ? usageOf(server.pid) : null;
    const profile = { ...loadProfile('generic'), connectors: 1 };
    const chargers = await connectFleet({
      url: wsUrl,
      credentials,
      protocol,
      count: options.chargers,
      prefix: `BENCH-${Date.now().toString(36)}-`,
      profile,
      idTags: [options.idTag],
      idTagsOf: (index) => [tagOf(index)],
      // The mix the bar names: Authorize, StartTransaction, meter values, StopTransaction (2.0.1: Authorize,
      // TransactionEvent Started, Updated with meter values, Ended); no status reports.
      reportsSessionStatus: false,
      // Out of step, as a real fleet is: each charger's first session is cut short by a different number of
      // meter values, so at any moment the fleet sends the whole mix, not a thousand stops in the same second.
      firstSessionMeterValuesOf: (index) => index % (profile.meterValuesPerSession + 1),
      sessions: 0,
      meterIntervalMs: 0,
      idleMs: 0,
      connectConcurrency: 100,
      // Checking what was acknowledged only means something if the chargers keep what was not, as real ones do.
      retriesTransactionMessages: verify,
      callTimeoutMs: verify ? 30_000 : 60_000,
      pace: options.rate > 0 ? createPacer(options.rate) : undefined,
      onCall: (action, ms, ok, failure, variant) => {
        if (!measuring) return;
        latency.record(ms, ok);
        if (!ok) failures.record(failure);
        else if (TRANSACTION_MESSAGES.has(action)) service.success(performance.now());
        // A 2.0.1 session's start, meter values and end are one action: told apart, they compare with 1.6's.
        const key = variant ? `${action} ${variant}` : action;
        let perAction = latencyByAction.get(key);
        if (!perAction) latencyByAction.set(key, (perAction = new LatencyRecorder()));
        perAction.record(ms, ok);
      },
      onAnswered: ledger ? (id, action, payload, answer) => ledger.record(id, action, payload, answer) : undefined,
      onConnected: (n) => {
        if (n % 100 === 0 || n === options.chargers) options.progress(`connected ${n}/${options.chargers}`);
      },
    });
    cleanups.unshift(async () => closeFleet(chargers));
    const connectedUsage = server ? usageOf(server.pid) : null;
    const memoryPerConnectionKiB =
      before && connectedUsage ? (connectedUsage.rssBytes - before.rssBytes) / 1024 / options.chargers : null;
    // After the memory reading: the registration's garbage must not be mistaken for connection memory.
    if (apiUrl && apiKey) {
      options.progress(`registering ${options.chargers} ID tags…`);
      await registerBenchTags(apiUrl, apiKey, Array.from({ length: options.chargers }, (_, i) => tagOf(i)));
    }

    const running = chargers.map((c) =>
      c.run().catch((error: Error) => {
        if (!measuring) return;
        latency.record(0, false);
        options.progress(`charger ${c.id} stopped: ${error.message}`);
      }),
    );
    options.progress(`warming up for ${options.warmupS}s…`);
    await sleep(options.warmupS * 1000);
    latency.reset();
    latencyByAction.clear();
    const cpuStart = server ? usageOf(server.pid)?.cpuMs ?? null : null;
    await readLongestStallMs(apiUrl);
    const started = performance.now();
    service = new ServiceTracker(started);
    measuring = true;
    faultRun?.schedule(started, service);
    for (let s = 1; s <= options.durationS; s++) {
      await sleep(started + s * 1000 - performance.now());
      const elapsed = (performance.now() - started) / 1000;
      const [p50, p99] = latency.percentiles(50, 99);
      const notes = [
        latency.failures ? `${latency.failures} failed` : '',
        faultRun ? `fault ${faultRun.state}` : '',
        serverWatch?.exit ? `server exited (${describeExit(serverWatch.exit)})` : '',
      ].filter(Boolean);
      options.progress(
        `${s}/${options.durationS}s  ${Math.round(latency.count / elapsed)} CALLs/s  p50 ${p50.toFixed(1)} ms  p99 ${p99.toFixed(1)} ms${notes.map((n) => `  · ${n}`).join('')}`,
      );
    }
    const ended = performance.now();
    measuring = false;
    const elapsedS = (ended - started) / 1000;
    const cpuEnd = server ? usageOf(server.pid)?.cpuMs ?? null : null;
    const longestStallMs = await readLongestStallMs(apiUrl);
    const cpuMs = cpuStart !== null && cpuEnd !== null ? cpuEnd - cpuStart : null;
    const gaps = service.finish(ended);
    if (faultRun) {
      options.progress('waiting for the fault to end…');
      await faultRun.settled();
    }
    for (const c of chargers) c.stop();
    if (verify) {
      // Every call still in flight gets its answer (or its timeout) before the rows are read.
      options.progress('stopping the chargers; waiting for the calls in flight…');
      await Promise.race([Promise.allSettled(running), sleep(35_000)]);
    }
    let verification: LedgerVerification | null = null;
    let verificationError: string | null = null;
    if (ledger && db) {
      options.progress(`verifying ${ledger.starts.length} starts, ${ledger.stops.length} stops, ${ledger.samples.length} meter values against the database…`);
      try {
        verification = await verifyLedger(ledger, db.url);
      } catch (error) {
        verificationError = error instanceof Error ? error.message : String(error);
      }
    }
    const [p50, p95, p99] = latency.percentiles(50, 95, 99);
    const sessionsCompleted = chargers.reduce((sum, c) => sum + c.sessionsCompleted, 0);
    return {
      chargers: options.chargers,
      protocol,
      storage,
      offeredRate: options.rate > 0 ? options.rate : null,
      durationS: Math.round(elapsedS * 10) / 10,
      calls: latency.count,
      failures: latency.failures,
      acknowledged: latency.count - latency.failures,
      callErrors: failures.callErrors,
      timeouts: failures.timeouts,
      lostCalls: failures.lost,
      callsPerSecond: Math.round(latency.count / elapsedS),
      p50Ms: p50,
      p95Ms: p95,
      p99Ms: p99,
      serverCpuMsPerCall: cpuMs === null ? null : cpuMs / Math.max(1, latency.count),
      serverCpuUtilisation: cpuMs === null ? null : cpuMs / (elapsedS * 1000),
      memoryPerConnectionKiB,
      longestStallMs,
      sessionsCompleted,
      byAction: Object.fromEntries(
        [...latencyByAction].map(([action, recorder]) => {
          const [a50, a95, a99] = recorder.percentiles(50, 95, 99);
          return [action, { calls: recorder.count, p50Ms: a50, p95Ms: a95, p99Ms: a99 }];
        }),
      ),
      withoutService: { seconds: gaps.longestGapMs / 1000, fromS: gaps.longestGapFromMs / 1000, toS: gaps.longestGapToMs / 1000 },
      fault: faultRun ? faultRun.report(gaps.serviceBackAfterMs) : null,
      server: serverWatch ? serverFate(serverWatch.exit, started, faultRun) : null,
      ledger: ledger ? ledger.size : null,
      verification,
      verificationError,
    };
  } finally {
    for (const cleanup of cleanups) await cleanup().catch(() => {});
  }
}
