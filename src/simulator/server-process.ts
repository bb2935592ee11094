// Starts `voltgate serve` as a child process for the benchmark, so its CPU and memory are measured apart
// from the simulated chargers driving it.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface ServerProcess {
  child: ChildProcess;
  pid: number;
  httpUrl: string;
  wsUrl: string;
  apiKey: string;
  stop(): Promise<void>;
}

const CLI = fileURLToPath(new URL('../cli/voltgate.ts', import.meta.url));

export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const apiKey = env.VOLTGATE_API_KEY ?? 'bench-operator-key';
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', VOLTGATE_UNKNOWN_CHARGERS: 'accept', ...env, VOLTGATE_API_KEY: apiKey },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    if (!line.includes('Voltgate is running')) continue;
    const { api, ocpp } = JSON.parse(line) as { api: string; ocpp: string };
    lines.on('line', () => {}); // keep draining the server's log so it never blocks on a full pipe
    return {
      child,
      pid: child.pid!,
      apiKey,
      httpUrl: api.replace(/\/api\/v1$/, ''),
      wsUrl: ocpp.replace(/\/\{chargePointId\}$/, ''),
      async stop() {
        if (child.exitCode !== null) return;
        child.kill('SIGTERM');
        await once(child, 'exit');
      },
    };
  }
  throw new Error('voltgate serve exited before it was running (see its log above)');
}
