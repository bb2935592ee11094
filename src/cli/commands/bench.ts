// `voltgate bench` (npm run bench): load benchmark with thousands of simulated chargers.
import { Command } from 'commander';
import { runBench } from '../../simulator/bench.js';
import { positiveInt } from './options.js';
import { progressLine } from './progress.js';

interface BenchFlags {
  chargers: number;
  duration: number;
  warmup: number;
  rate: number;
  url?: string;
  apiUrl?: string;
  apiKey?: string;
  databaseUrl?: string;
  idTag: string;
  json?: boolean;
}

export function benchCommand(): Command {
  return new Command('bench')
    .description('drive thousands of simulated chargers (Authorize, StartTransaction, 10 MeterValues, StopTransaction) and report CALLs/s, latency, CPU and memory')
    .option('-c, --chargers <n>', 'simulated chargers', positiveInt('--chargers'), 1000)
    .option('-d, --duration <s>', 'measured seconds', positiveInt('--duration'), 20)
    .option('--warmup <s>', 'seconds of load before measuring', positiveInt('--warmup', 0), 5)
    .option('-r, --rate <calls/s>', 'offered CALLs/s across all chargers (0 = saturation)', positiveInt('--rate', 0), 0)
    .option('--url <ws-url>', 'benchmark a running CSMS at this OCPP endpoint instead of starting one')
    .option('--api-url <http-url>', 'with --url: its HTTP base, to create the bench ID tag')
    .option('--api-key <key>', 'with --api-url: its operator key')
    .option('--database-url <postgres-url>', 'start the CSMS on a fresh database on this PostgreSQL server (default: embedded SQLite)', process.env.DATABASE_URL)
    .option('--id-tag <prefix>', 'ID tags of the simulated drivers: <prefix>-1 … <prefix>-N, one per charger (registered when the bench starts the server or has --api-url)', 'BENCH')
    .option('--json', 'print the result as JSON')
    .action(async (flags: BenchFlags) => {
      const progress = progressLine();
      const result = await runBench({
        chargers: flags.chargers,
        durationS: flags.duration,
        warmupS: flags.warmup,
        rate: flags.rate,
        url: flags.url ?? null,
        apiUrl: flags.apiUrl ?? null,
        apiKey: flags.apiKey ?? null,
        databaseUrl: flags.databaseUrl ?? null,
        idTag: flags.idTag,
        progress: progress.update,
      });
      progress.done();
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(result)}\n`);
        return;
      }
      const f = (n: number | null, digits = 1) => (n === null ? 'n/a' : n.toFixed(digits));
      process.stdout.write(
        [
          `chargers            ${result.chargers} (${result.storage})`,
          `offered load        ${result.offeredRate === null ? 'saturation' : `${result.offeredRate} CALLs/s`}`,
          `measured            ${result.durationS} s, ${result.calls} calls, ${result.failures} failed, ${result.sessionsCompleted} sessions`,
          `throughput          ${result.callsPerSecond} CALLs/s`,
          `latency             p50 ${f(result.p50Ms, 2)} ms · p95 ${f(result.p95Ms, 2)} ms · p99 ${f(result.p99Ms, 2)} ms`,
          `server CPU          ${f(result.serverCpuMsPerCall === null ? null : result.serverCpuMsPerCall * 1000, 0)} µs per CALL (${f(result.serverCpuUtilisation === null ? null : result.serverCpuUtilisation * 100, 0)}% of one core)`,
          `server memory       ${f(result.memoryPerConnectionKiB)} KiB per connection`,
          'per action',
          ...Object.entries(result.byAction).map(
            ([action, a]) => `  ${action.padEnd(18)}${String(a.calls).padStart(7)} calls · p50 ${f(a.p50Ms, 2)} · p95 ${f(a.p95Ms, 2)} · p99 ${f(a.p99Ms, 2)} ms`,
          ),
        ].join('\n') + '\n',
      );
      process.exit(0);
    });
}
