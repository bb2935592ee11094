// Starts `voltgate serve` (or the bench's bare reference server) as a child process for the benchmark, so its
// CPU and memory are measured apart from the simulated chargers driving it.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface ServerProcess {
  child: ChildProcess;
  pid: number;
  /** Null for the reference server, which has no HTTP API. */
  httpUrl: string | null;
  wsUrl: string;
  /** The TLS endpoint, when the server was given a certificate (beside the plain one). */
  wssUrl?: string | null;
  apiKey: string;
  stop(): Promise<void>;
}

const CLI = fileURLToPath(new URL('../cli/voltgate.ts', import.meta.url));
const REFERENCE = fileURLToPath(new URL('./reference-server.ts', import.meta.url));

/** `cpuProfileDir`: the server writes a V8 CPU profile there when it exits (node --cpu-prof). */
export function startServerProcess(env: Record<string, string>, cpuProfileDir: string | null = null): Promise<ServerProcess> {
  const apiKey = env.VOLTGATE_API_KEY ?? 'bench-operator-key';
  const profile = cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`] : [];
  return startChild([...profile, CLI, 'serve'], { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', VOLTGATE_UNKNOWN_CHARGERS: 'accept', ...env, VOLTGATE_API_KEY: apiKey }, apiKey, (line) => {
    if (!line.includes('Voltgate is running')) return null;
    const { api, ocpp, ocppTls } = JSON.parse(line) as { api: string; ocpp: string; ocppTls?: string };
    return { httpUrl: api.replace(/\/api\/v1$/, ''), wsUrl: ocpp.replace(/\/\{chargePointId\}$/, ''), wssUrl: ocppTls?.replace(/\/\{chargePointId\}$/, '') ?? null };
  });
}

/** The bare `ws` server answering every CALL with a fixed CALLRESULT (reference-server.ts). */
export function startReferenceProcess(): Promise<ServerProcess> {
  return startChild([REFERENCE], {}, '', (line) => {
    if (!line.startsWith('{"reference"')) return null;
    return { httpUrl: null, wsUrl: (JSON.parse(line) as { reference: string }).reference };
  });
}

async function startChild(
  args: string[],
  env: Record<string, string>,
  apiKey: string,
  ready: (line: string) => { httpUrl: string | null; wsUrl: string; wssUrl?: string | null } | null,
): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    const urls = ready(line);
    if (!urls) continue;
    lines.on('line', () => {}); // keep draining the server's log so it never blocks on a full pipe
    return {
      child,
      pid: child.pid!,
      apiKey,
      ...urls,
      async stop() {
        if (child.exitCode !== null) return;
        child.kill('SIGTERM');
        await once(child, 'exit');
      },
    };
  }
  throw new Error(`${args.join(' ')} exited before it was running (see its log above)`);
}
