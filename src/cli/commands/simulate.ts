// `voltgate simulate`: N OCPP 1.6-J (or 2.0.1) chargers running realistic sessions against any CSMS.
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { closeFleet, connectFleet, SIMULATOR_PROTOCOLS, type SimulatorProtocol } from '../../simulator/fleet.js';
import { loadProfile, profileNames } from '../../simulator/profile.js';
import { positiveInt } from './options.js';
import { progressLine } from './progress.js';

interface SimulateOptions {
  url: string;
  protocol: SimulatorProtocol;
  count: number;
  prefix: string;
  profile: string;
  idTags: string;
  sessions: number;
  meterIntervalMs: number;
  idleMs: number;
  tls?: boolean;
  ca?: string;
  cert?: string;
  key?: string;
  password?: string;
}

/** The default endpoint: the plain port, or with --tls the TLS one. */
const DEFAULT_URL = 'ws://127.0.0.1:8080/ocpp';
const DEFAULT_TLS_URL = 'wss://127.0.0.1:8443/ocpp';

export function simulateCommand(): Command {
  return new Command('simulate')
    .description('run simulated OCPP 1.6-J (or 2.0.1) chargers that boot, report status and charge with meter values')
    .option('--url <url>', `OCPP endpoint of the CSMS (the charger id is appended); default ${DEFAULT_URL}, with --tls ${DEFAULT_TLS_URL}`)
    .option('--tls', `connect over TLS (security profiles 2 and 3): the default endpoint becomes ${DEFAULT_TLS_URL}`)
    .option('--ca <file>', "PEM file of the CA(s) to trust for the CSMS's certificate (default: the system's)")
    .option('--cert <file>', "PEM file of the charger's client certificate (security profile 3: its CN is the charger id)")
    .option('--key <file>', "PEM file of the client certificate's private key")
    .option('--password <text>', "the chargers' password (security profiles 1 and 2): HTTP Basic auth with the charger id as the username")
    .addOption(
      new Option(
        '--protocol <version>',
        'OCPP version the chargers speak; ocpp2.0.1 sessions are TransactionEvent Started, Updated with meter values, Ended, and always offer the subprotocol',
      )
        .choices(SIMULATOR_PROTOCOLS)
        .default('ocpp1.6'),
    )
    .option('-n, --count <n>', 'number of chargers', positiveInt('--count'), 1)
    .option('--prefix <text>', 'charger ids are <prefix>1, <prefix>2, …', 'SIM-')
    .addOption(new Option('--profile <name>', 'vendor profile (src/simulator/profiles)').choices(profileNames()).default('generic'))
    .option('--id-tags <list>', 'comma-separated ID tags the drivers present (2.0.1: ISO14443 id tokens)', 'SIM-TAG')
    .option('--sessions <n>', 'sessions per charger (0 = until Ctrl-C)', positiveInt('--sessions', 0), 1)
    .option('--meter-interval-ms <ms>', 'pause between meter values', positiveInt('--meter-interval-ms', 0), 1000)
    .option('--idle-ms <ms>', 'pause between sessions', positiveInt('--idle-ms', 0), 2000)
    .action(async (options: SimulateOptions, command: Command) => {
      if (Boolean(options.cert) !== Boolean(options.key)) command.error('error: --cert and --key go together');
      const url = options.url ?? (options.tls ? DEFAULT_TLS_URL : DEFAULT_URL);
      const readPem = (flag: string, file: string | undefined) => {
        if (!file) return undefined;
        try {
          return readFileSync(file, 'utf8');
        } catch (error) {
          return command.error(`error: ${flag}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
        }
      };
      const tls = { ca: readPem('--ca', options.ca), cert: readPem('--cert', options.cert), key: readPem('--key', options.key) };
      const credentials = {
        ...(options.password ? { password: options.password } : {}),
        ...(tls.ca || tls.cert ? { tls } : {}),
      };
      const progress = progressLine();
      let calls = 0;
      let errors = 0;
      const chargers = await connectFleet({
        url: url.replace(/\/$/, ''),
        credentials,
        protocol: options.protocol,
        count: options.count,
        prefix: options.prefix,
        profile: loadProfile(options.profile),
        idTags: options.idTags.split(',').map((s) => s.trim()).filter(Boolean),
        sessions: options.sessions,
        meterIntervalMs: options.meterIntervalMs,
        idleMs: options.idleMs,
        onConnected: (n) => progress.update(`connected ${n}/${options.count}`),
        onCall: (_action, _ms, ok) => {
          calls++;
          if (!ok) errors++;
        },
      });
      const show = () => {
        const sessions = chargers.reduce((sum, c) => sum + c.sessionsCompleted, 0);
        progress.update(`${chargers.length} chargers · ${sessions} sessions done · ${calls} calls · ${errors} errors`);
      };
      const timer = setInterval(show, 500);
      process.once('SIGINT', () => chargers.forEach((c) => c.stop()));
      const results = await Promise.allSettled(chargers.map((c) => c.run()));
      clearInterval(timer);
      show();
      progress.done();
      closeFleet(chargers);
      const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      for (const f of failed.slice(0, 5)) process.stderr.write(`a charger failed: ${(f.reason as Error).message}\n`);
      process.exitCode = failed.length ? 1 : 0;
    });
}
