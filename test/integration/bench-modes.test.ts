// The bench's storm, churn and reference modes, end to end and small: each starts real server processes and
// drives them over real sockets. What they measure is for docs/BENCHMARKS.md; here only that every charger gets
// back after a restart, nothing fails, and each mode reports what it says it does.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runStorm } from '../../src/simulator/storm.js';
import { runChurn } from '../../src/simulator/churn.js';
import { runBench } from '../../src/simulator/bench.js';
import { createTestPki } from '../support/certificates.js';

const databaseUrl = process.env.DATABASE_URL ?? null;
const quiet = () => {};

describe('bench modes', () => {
  it('--storm: every charger reconnects and boots after the restart, none refused; the idle fleet answers its heartbeats', async () => {
    const result = await runStorm({ chargers: 60, databaseUrl, concurrency: 20, idleS: 2, heartbeatS: 1, cpuProfileDir: null, progress: quiet });
    assert.equal(result.storage, databaseUrl ? 'postgres' : 'sqlite');
    for (const phase of [result.firstConnect, result.reconnect]) {
      assert.deepEqual([phase.missing, phase.failedAttempts], [0, 0]);
      assert.ok(phase.bootedPerSecond > 0 && phase.bootP99Ms >= phase.bootP50Ms);
    }
    assert.ok(result.idle && result.idle.heartbeats >= 60 && result.idle.failed === 0, JSON.stringify(result.idle));
  });

  it('--churn: one charger connects, boots and closes over and over; the server memory is read before and after', async () => {
    const result = await runChurn({ cycles: 40, databaseUrl, warmUpCycles: 5, settleMs: 100, progress: quiet });
    assert.ok(result.cyclesPerSecond > 0);
    assert.ok(result.heapUsedMiB.before > 0 && result.heapUsedMiB.after > 0 && result.rssMiB.after > 0, JSON.stringify(result));
  });

  it('--reference: the same load against the bare ws server is answered in full, with its CPU measured', async () => {
    const result = await runBench({ chargers: 20, durationS: 1, warmupS: 0, rate: 0, url: null, apiUrl: null, apiKey: null, databaseUrl: null, idTag: 'REF', reference: true, progress: quiet });
    assert.equal(result.storage, 'none (reference)');
    assert.ok(result.calls > 0 && result.failures === 0, JSON.stringify({ calls: result.calls, failures: result.failures }));
    assert.ok(result.serverCpuMsPerCall !== null);
  });

  it('--tls-cert, --tls-key, --tls-ca: the session mix and the storm over wss://', async () => {
    const pki = createTestPki();
    try {
      const server = pki.server('bench-server', 'ecdsa');
      const tls = { cert: server.certFile, key: server.keyFile, ca: pki.caFile };
      const mix = await runBench({ chargers: 10, durationS: 1, warmupS: 0, rate: 0, url: null, apiUrl: null, apiKey: null, databaseUrl, idTag: 'TLS', tls, progress: quiet });
      assert.ok(mix.calls > 0 && mix.failures === 0, JSON.stringify({ calls: mix.calls, failures: mix.failures, errors: mix.callErrors }));
      const storm = await runStorm({ chargers: 30, databaseUrl, concurrency: 10, idleS: 0, heartbeatS: 1, cpuProfileDir: null, tls, progress: quiet });
      for (const phase of [storm.firstConnect, storm.reconnect]) assert.deepEqual([phase.missing, phase.failedAttempts], [0, 0]);
    } finally {
      pki.cleanup();
    }
  });
});
