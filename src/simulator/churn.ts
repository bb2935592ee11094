// `voltgate bench --churn N` (CONFORMANCE 78): one charger connects, boots and closes, N times in a row. What a
// connection leaves behind when it is gone shows as memory that grows with N: the server's heap in use and its
// RSS are read from its /metrics after a warm-up and again at the end, after the server had a few seconds to
// collect its garbage.
import { connectRpc } from '../ocpp/rpc/client.js';
import { createValidators } from '../ocpp/schemas/validators.js';
import { freshStorage } from './fresh-database.js';
import { startServerProcess } from './server-process.js';

export interface ChurnOptions {
  cycles: number;
  databaseUrl: string | null;
  progress: (line: string) => void;
  /** Cycles before the first reading (default 500), and the quiet before each reading (default 5 s). */
  warmUpCycles?: number;
  settleMs?: number;
}

export interface ChurnResult {
  cycles: number;
  storage: string;
  cyclesPerSecond: number;
  /** The server's V8 heap in use and its RSS, MiB: after the warm-up, and after the cycles and a pause. */
  heapUsedMiB: { before: number; after: number };
  rssMiB: { before: number; after: number };
}

const WARM_UP_CYCLES = 500;
const SETTLE_MS = 5000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function memoryOf(httpUrl: string): Promise<{ heapUsedMiB: number; rssMiB: number }> {
  const text = await (await fetch(`${httpUrl}/metrics`)).text();
  const read = (name: string) => Number(new RegExp(`^voltgate_${name}\\s+([0-9.eE+-]+)$`, 'm').exec(text)?.[1] ?? NaN) / 1024 / 1024;
  return { heapUsedMiB: Math.round(read('nodejs_heap_size_used_bytes') * 10) / 10, rssMiB: Math.round(read('process_resident_memory_bytes') * 10) / 10 };
}

export async function runChurn(options: ChurnOptions): Promise<ChurnResult> {
  const cleanups: Array<() => Promise<void>> = [];
  try {
    const { env, storage } = await freshStorage(options.databaseUrl, cleanups);
    const server = await startServerProcess(env);
    cleanups.unshift(() => server.stop());
    const validators = createValidators('ocpp1.6');
    const cycle = async () => {
      const connection = await connectRpc({ url: `${server.wsUrl}/CHURN-1`, identity: 'CHURN-1', protocols: ['ocpp1.6'], validators, handlers: {} });
      await connection.call('BootNotification', { chargePointVendor: 'Voltgate', chargePointModel: 'Churn' });
      await connection.close();
    };
    const settleMs = options.settleMs ?? SETTLE_MS;
    for (let i = 0; i < (options.warmUpCycles ?? WARM_UP_CYCLES); i++) await cycle();
    await sleep(settleMs);
    const before = await memoryOf(server.httpUrl!);
    const started = performance.now();
    for (let i = 1; i <= options.cycles; i++) {
      await cycle();
      if (i % 1000 === 0) options.progress(`${i}/${options.cycles} connect-boot-close cycles`);
    }
    const seconds = (performance.now() - started) / 1000;
    await sleep(settleMs);
    const after = await memoryOf(server.httpUrl!);
    return {
      cycles: options.cycles,
      storage,
      cyclesPerSecond: Math.round(options.cycles / seconds),
      heapUsedMiB: { before: before.heapUsedMiB, after: after.heapUsedMiB },
      rssMiB: { before: before.rssMiB, after: after.rssMiB },
    };
  } finally {
    for (const cleanup of cleanups) await cleanup().catch(() => {});
  }
}
