// `voltgate serve` as a real child process, for what only a process shows: kill -9, SIGTERM, its exit code and
// what it prints, a resource limit of its own. Its JSON log lines are kept for the test to read.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

export const CHILD_API_KEY = 'child-operator-key';

export interface ChildServer {
  process: ChildProcess;
  httpUrl: string;
  wsUrl: string;
  /** Log lines so far, parsed. */
  logs: Array<Record<string, unknown>>;
  stderr(): string;
  api(path: string, init?: RequestInit): Promise<Response>;
  /** Resolves with the exit code and signal once the process ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface ChildOptions {
  env: Record<string, string>;
  /** A command the process runs under, e.g. ['prlimit', '--fsize=…', '--']. */
  wrapper?: string[];
}

/** Starts the process; resolves once it said it is running, or rejects with what it printed when it exited first. */
export async function startChildServer(options: ChildOptions): Promise<ChildServer> {
  const [command, ...args] = [...(options.wrapper ?? []), process.execPath, '--import', 'tsx', 'src/cli/voltgate.ts', 'serve'];
  const child = spawn(command, args, {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', VOLTGATE_API_KEY: CHILD_API_KEY, VOLTGATE_UNKNOWN_CHARGERS: 'accept', LOG_LEVEL: 'info', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Array<Record<string, unknown>> = [];
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += String(chunk)));
  const exited = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  const lines = createInterface({ input: child.stdout! });
  const running = new Promise<{ api: string; ocpp: string }>((resolve, reject) => {
    lines.on('line', (line) => {
      if (!line.startsWith('{')) return;
      const entry = JSON.parse(line) as Record<string, unknown>;
      logs.push(entry);
      if (entry.msg === 'Voltgate is running') resolve(entry as { api: string; ocpp: string });
    });
    void exited.then(({ code, signal }) => reject(new Error(`voltgate serve exited (${code ?? signal}) before it was running: ${stderr}`)));
  });
  const { api, ocpp } = await running;
  const httpUrl = api.replace(/\/api\/v1$/, '');
  return {
    process: child,
    httpUrl,
    wsUrl: ocpp.replace(/\/\{chargePointId\}$/, ''),
    logs,
    stderr: () => stderr,
    api(path, init = {}) {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${CHILD_API_KEY}`);
      return fetch(`${httpUrl}${path}`, { ...init, headers });
    },
    exited,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      await exited;
    },
  };
}

/** Runs `voltgate serve` expecting it to stop at start-up: its exit code and what it printed on stderr. */
export async function failedStart(env: Record<string, string>, timeoutMs = 20_000): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/voltgate.ts', 'serve'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', VOLTGATE_API_KEY: CHILD_API_KEY, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += String(chunk)));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  return { code, stderr };
}
