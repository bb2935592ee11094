// `voltgate bench` (npm run bench): load benchmark with thousands of simulated chargers, optionally with a
// database fault in the middle and a check that everything acknowledged was stored.
import { resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { runBench, type BenchResult } from '../../simulator/bench.js';
import { runChurn } from '../../simulator/churn.js';
import { runStorm, type StormPhase, type StormResult } from '../../simulator/storm.js';
import { FAULT_KINDS, FAULT_DESCRIPTIONS, type FaultKind } from '../../simulator/faults.js';
import { formatFaultReport } from '../../simulator/fault-report.js';
import { SIMULATOR_PROTOCOLS, type SimulatorProtocol } from '../../simulator/fleet.js';
import { positiveInt } from './options.js';
import { progressLine } from './progress.js';

interface BenchFlags {
  chargers: number;
  protocol: SimulatorProtocol;
  duration: number;
  warmup: number;
  rate: number;
  url?: string;
  apiUrl?: string;
  apiKey?: string;
  databaseUrl?: string;
  idTag: string;
  fault?: FaultKind;
  faultAt?: number;
  faultDuration: number;
  verify?: boolean;
  reference?: boolean;
  storm?: number;
  churn?: number;
  serverCpuProf?: string;
  tlsCert?: string;
  tlsKey?: string;
  tlsCa?: string;
  stormConcurrency: number;
  idle: number;
  heartbeat: number;
  json?: boolean;
}

function seconds(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`${flag} must be a number of seconds ≥ 0, got "${value}"`);
    return n;
  };
}

export function benchCommand(): Command {
  return new Command('bench')
    .description(
      'drive thousands of simulated chargers (Authorize, StartTransaction, 10 MeterValues, StopTransaction; with --protocol ocpp2.0.1 Authorize, TransactionEvent Started, 10 Updated, Ended) and report CALLs/s, latency, CPU and memory',
    )
    .option('-c, --chargers <n>', 'simulated chargers', positiveInt('--chargers'), 1000)
    .addOption(new Option('--protocol <version>', 'OCPP version the simulated chargers speak').choices(SIMULATOR_PROTOCOLS).default('ocpp1.6'))
    .option('-d, --duration <s>', 'measured seconds', positiveInt('--duration'), 20)
    .option('--warmup <s>', 'seconds of load before measuring', positiveInt('--warmup', 0), 5)
    .option('-r, --rate <calls/s>', 'offered CALLs/s across all chargers (0 = saturation)', positiveInt('--rate', 0), 0)
    .option('--url <ws-url>', 'benchmark a running CSMS at this OCPP endpoint instead of starting one')
    .option('--api-url <http-url>', 'with --url: its HTTP base, to create the bench ID tag')
    .option('--api-key <key>', 'with --api-url: its operator key')
    .option('--database-url <postgres-url>', 'start the CSMS on a fresh database on this PostgreSQL server (default: embedded SQLite)', process.env.DATABASE_URL)
    .option('--id-tag <prefix>', 'ID tags of the simulated drivers: <prefix>-1 … <prefix>-N, one per charger (registered when the bench starts the server or has --api-url)', 'BENCH')
    .addOption(
      new Option('--fault <kind>', 'break PostgreSQL in the middle of the measured window (needs --database-url, no --url; implies --verify; kinds below)').choices(
        FAULT_KINDS,
      ),
    )
    .option('--fault-at <s>', 'with --fault: seconds into the measured window (default: a third of --duration)', seconds('--fault-at'))
    .option('--fault-duration <s>', 'with --fault net-cut or net-refuse: how long the network stays broken', seconds('--fault-duration'), 10)
    .option(
      '--verify',
      'chargers resend unacknowledged StartTransaction/StopTransaction/MeterValues (2.0.1: TransactionEvent) as real ones do, and afterwards every acknowledged start, stop and meter value is looked up in the database (needs --database-url, no --url)',
    )
    .option('--tls-cert <file>', 'the server the bench starts serves wss:// with this certificate (PEM; with --tls-key and --tls-ca), and the chargers connect over TLS')
    .option('--tls-key <file>', "the certificate's private key (PEM)")
    .option('--tls-ca <file>', 'the CA the simulated chargers trust for that certificate (PEM)')
    .option('--reference', 'first run the same load against a bare ws server that answers every CALL with a fixed CALLRESULT (no validation, no storage), then against Voltgate, and print the ratio of their CALLs/s')
    .option('--storm <n>', 'instead of the session mix: n chargers connect and boot, Voltgate restarts on the same port and storage, and all reconnect at once; reports chargers booted per second, boot p50/p99 and failed attempts, then the idle fleet', positiveInt('--storm'))
    .option('--storm-concurrency <n>', 'with --storm: connection attempts in flight at once from the bench', positiveInt('--storm-concurrency'), 1000)
    .option('--idle <s>', 'with --storm: seconds the fleet idles afterwards (server memory per charger, idle CPU, heartbeat p99); 0 skips it', positiveInt('--idle', 0), 30)
    .option('--heartbeat <s>', 'with --storm: each idle charger sends a Heartbeat this often', positiveInt('--heartbeat'), 60)
    .option('--churn <n>', 'instead of the session mix: one charger connects, boots and closes n times in a row; reports the server\'s heap in use and RSS before and after (CONFORMANCE 78)', positiveInt('--churn'))
    .option('--server-cpu-prof <dir>', 'the Voltgate server the bench starts writes a V8 CPU profile (node --cpu-prof) into this folder when it stops; open it in Chrome DevTools')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      [
        '',
        'Faults (--fault):',
        ...FAULT_KINDS.map((k) => `  ${k.padEnd(14)}${FAULT_DESCRIPTIONS[k]}`),
        '',
        'With --fault the report adds: CALLs acknowledged, CALLERRORs by code, timeouts, the longest stretch without an',
        'acknowledged StartTransaction/StopTransaction/MeterValues (2.0.1: TransactionEvent), how long after the database',
        'was back the first one was acknowledged, whether the server process survived, and the verification of every',
        'acknowledged start, stop and meter value against the database (a 2.0.1 session is found by its station\'s',
        'transactionId). Exit code 1 when the server exited or the verification failed.',
      ].join('\n'),
    )
    .action(async (flags: BenchFlags, command: Command) => {
      if ((flags.fault || flags.verify) && (!flags.databaseUrl || flags.url)) {
        command.error(
          `error: ${flags.fault ? `--fault ${flags.fault}` : '--verify'} needs --database-url (a PostgreSQL server: the fault is done to it and the acknowledged rows are read back from it) and a server the bench starts itself (leave out --url)`,
        );
      }
      const faultAt = flags.faultAt ?? Math.round((flags.duration / 3) * 10) / 10;
      const tlsFiles = [flags.tlsCert, flags.tlsKey, flags.tlsCa];
      if (tlsFiles.some(Boolean) && !tlsFiles.every(Boolean)) command.error('error: --tls-cert, --tls-key and --tls-ca go together');
      if (flags.tlsCert && flags.url) command.error('error: --tls-cert is for the server the bench starts: leave out --url (give a wss:// URL instead)');
      const tls = flags.tlsCert ? { cert: resolve(flags.tlsCert), key: resolve(flags.tlsKey!), ca: resolve(flags.tlsCa!) } : null;
      if (flags.fault && faultAt >= flags.duration) command.error(`error: --fault-at ${faultAt} must fall inside the measured window (--duration ${flags.duration})`);
      if (flags.churn) {
        if (flags.url || flags.fault || flags.verify || flags.reference || flags.storm) command.error('error: --churn starts the server itself: leave out --url, --fault, --verify, --reference and --storm');
        const progress = progressLine();
        const churn = await runChurn({ cycles: flags.churn, databaseUrl: flags.databaseUrl ?? null, progress: progress.update });
        progress.done();
        process.stdout.write(
          flags.json
            ? `${JSON.stringify(churn)}\n`
            : [
                `cycles              ${churn.cycles} connect-boot-close of one charger (${churn.storage}), ${churn.cyclesPerSecond}/s`,
                `server heap in use  ${churn.heapUsedMiB.before} MiB before, ${churn.heapUsedMiB.after} MiB after`,
                `server RSS          ${churn.rssMiB.before} MiB before, ${churn.rssMiB.after} MiB after`,
                '',
              ].join('\n'),
        );
        process.exit(0);
      }
      if (flags.storm) {
        if (flags.url || flags.fault || flags.verify || flags.reference) command.error('error: --storm starts and restarts the server itself: leave out --url, --fault, --verify and --reference');
        const progress = progressLine();
        const storm = await runStorm({
          chargers: flags.storm,
          databaseUrl: flags.databaseUrl ?? null,
          concurrency: flags.stormConcurrency,
          idleS: flags.idle,
          heartbeatS: flags.heartbeat,
          cpuProfileDir: flags.serverCpuProf ? resolve(flags.serverCpuProf) : null,
          tls,
          progress: progress.update,
        });
        progress.done();
        process.stdout.write(flags.json ? `${JSON.stringify(storm)}\n` : formatStorm(storm));
        process.exit(storm.reconnect.missing > 0 ? 1 : 0);
      }
      if (flags.reference && (flags.url || flags.fault || flags.verify || flags.protocol.endsWith('s'))) {
        command.error('error: --reference compares the same load against a bare WebSocket server: it needs a server the bench starts (no --url), no --fault or --verify, and a JSON protocol');
      }
      const progress = progressLine();
      const run = (reference: boolean) =>
        runBench({
          chargers: flags.chargers,
          protocol: flags.protocol,
          durationS: flags.duration,
          warmupS: flags.warmup,
          rate: flags.rate,
          url: flags.url ?? null,
          apiUrl: flags.apiUrl ?? null,
          apiKey: flags.apiKey ?? null,
          databaseUrl: flags.databaseUrl ?? null,
          idTag: flags.idTag,
          fault: flags.fault ? { kind: flags.fault, atS: faultAt, durationS: flags.faultDuration } : null,
          verify: flags.verify ?? false,
          reference,
          tls: reference ? null : tls,
          cpuProfileDir: flags.serverCpuProf ? resolve(flags.serverCpuProf) : null,
          progress: progress.update,
        });
      // The reference first, then Voltgate: the same load one after the other, so the ratio compares like with like.
      const reference = flags.reference ? await run(true) : null;
      const result = await run(false);
      progress.done();
      // A fault run fails when the server died or an acknowledged row is missing: both are the bug it looks for.
      const failed = result.server?.running === false || result.verification?.ok === false || result.verificationError !== null;
      const ratio = reference ? Math.round((result.callsPerSecond / Math.max(1, reference.callsPerSecond)) * 100) / 100 : null;
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(reference ? { ...result, reference, ratioToReference: ratio } : result)}\n`);
        process.exit(failed ? 1 : 0);
      }
      if (reference) process.stdout.write(`${formatResult(reference)}\n`);
      process.stdout.write(formatResult(result));
      if (reference) process.stdout.write(`\nVoltgate / reference  ${ratio} (${result.callsPerSecond} against ${reference.callsPerSecond} CALLs/s)\n`);
      process.exit(failed ? 1 : 0);
    });
}

function formatResult(result: BenchResult): string {
  const f = (n: number | null, digits = 1) => (n === null ? 'n/a' : n.toFixed(digits));
  // 'TransactionEvent Started' is longer than any 1.6 action name.
  const actionWidth = Math.max(18, ...Object.keys(result.byAction).map((action) => action.length + 2));
  const lines = [
    `chargers            ${result.chargers} (${result.storage})`,
    `protocol            ${result.protocol}`,
    `offered load        ${result.offeredRate === null ? 'saturation' : `${result.offeredRate} CALLs/s`}`,
    `measured            ${result.durationS} s, ${result.calls} calls, ${result.failures} failed, ${result.sessionsCompleted} sessions`,
    `throughput          ${result.callsPerSecond} CALLs/s`,
    `latency             p50 ${f(result.p50Ms, 2)} ms · p95 ${f(result.p95Ms, 2)} ms · p99 ${f(result.p99Ms, 2)} ms`,
    `server CPU          ${f(result.serverCpuMsPerCall === null ? null : result.serverCpuMsPerCall * 1000, 0)} µs per CALL (${f(result.serverCpuUtilisation === null ? null : result.serverCpuUtilisation * 100, 0)}% of one core)`,
    `server memory       ${f(result.memoryPerConnectionKiB)} KiB per connection`,
    `longest stall       ${f(result.longestStallMs)} ms (the server's event loop, from its /metrics)`,
    'per action',
    ...Object.entries(result.byAction).map(
      ([action, a]) => `  ${action.padEnd(actionWidth)}${String(a.calls).padStart(7)} calls · p50 ${f(a.p50Ms, 2)} · p95 ${f(a.p95Ms, 2)} · p99 ${f(a.p99Ms, 2)} ms`,
    ),
    ...formatFaultReport(result),
  ];
  return `${lines.join('\n')}\n`;
}

function formatStorm(result: StormResult): string {
  const phase = (name: string, p: StormPhase) =>
    `${name.padEnd(20)}${p.bootedPerSecond} booted/s (${p.seconds} s) · boot p50 ${p.bootP50Ms.toFixed(1)} ms · p99 ${p.bootP99Ms.toFixed(1)} ms · ${p.failedAttempts} failed attempts · ${p.missing} never booted`;
  const lines = [
    `chargers            ${result.chargers} (${result.storage})`,
    phase('first connect', result.firstConnect),
    `restart             ${result.restartS} s from SIGTERM to listening again`,
    phase('reconnect storm', result.reconnect),
  ];
  if (result.idle) {
    const idle = result.idle;
    lines.push(
      `idle fleet          ${idle.seconds} s: server ${idle.serverRssKiBPerCharger} KiB per charger (over its start-up memory), ${idle.serverCpuPercent}% of one core`,
      `heartbeats          ${idle.heartbeats} answered, ${idle.failed} failed, p99 ${idle.heartbeatP99Ms.toFixed(1)} ms`,
    );
  }
  return `${lines.join('\n')}\n`;
}
