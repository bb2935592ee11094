// SQLite with no room to write (issue 9, CONFORMANCE 77), on a real `voltgate serve` process: its data folder on
// a small filesystem (tmpfs) that the test fills up, then empties. Where mounting is not allowed (not root), the
// process runs under a file-size limit (RLIMIT_FSIZE, which Node turns into EFBIG write errors) that the test
// then lifts: a real write failure of the operating system either way, not a stub.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statfsSync, writeFileSync, unlinkSync, closeSync, openSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { connectRpc } from '../../src/ocpp/rpc/client.js';
import type { RpcConnection } from '../../src/ocpp/rpc/connection.js';
import { SQLITE_FILE } from '../../src/storage/db.js';
import { startChildServer, type ChildServer } from '../support/child-server.js';
import { SessionLoad, verifyLedger } from '../support/session-load.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A 16 MB tmpfs at a fresh folder, or null when this machine does not let us mount one. */
function mountSmallFilesystem(): string | null {
  // To try the other way on a machine that could mount: VOLTGATE_TEST_NO_MOUNT=1.
  if (process.env.VOLTGATE_TEST_NO_MOUNT) return null;
  const dir = mkdtempSync(join(tmpdir(), 'voltgate-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
}

/** Fills what is left of the filesystem; returns the filler's path. */
function fill(dir: string): string {
  const path = join(dir, 'filler');
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
  return path;
}

const mounted = mountSmallFilesystem();
const how = mounted ? 'a full tmpfs' : 'a file-size limit (RLIMIT_FSIZE: no mount allowed here)';

describe(`SQLite on a full disk (${how})`, () => {
  const dataDir = mounted ?? mkdtempSync(join(tmpdir(), 'voltgate-fsize-'));
  let server: ChildServer | null = null;
  before(() => {
    if (!mounted) writeFileSync(join(dataDir, '.keep'), '');
  });
  after(async () => {
    await server?.kill('SIGKILL');
    if (mounted) execFileSync('umount', ['-l', mounted], { stdio: 'ignore' });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(`CONFORMANCE 77: no room to write → money-bearing messages get InternalError, Heartbeat and Authorize are answered, the process lives; room again → it carries on by itself, nothing lost or doubled, the file intact (${how})`, async () => {
    // Under the limit: 3 MB per file is room for the schema and a few seconds of sessions, not for many more.
    const limit = 3 * 1024 * 1024;
    server = await startChildServer({
      env: { VOLTGATE_DATA_DIR: dataDir, DATABASE_URL: '' },
      wrapper: mounted ? undefined : ['prlimit', `--fsize=${limit}:unlimited`, '--'],
    });
    const tag = await server.api('/api/v1/id-tags/DISK-TAG', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: 'Accepted', maxActiveTransactions: 100 }) });
    assert.ok(tag.ok);
    const chargers: Array<{ id: string; connection: RpcConnection }> = [];
    for (let i = 1; i <= 6; i++) {
      const id = `DISK-${i}`;
      chargers.push({ id, connection: await connectRpc({ url: `${server.wsUrl}/${id}`, identity: id, protocols: ['ocpp1.6'], handlers: {}, callTimeoutMs: 5000 }) });
    }
    const load = new SessionLoad(chargers, { idTag: 'DISK-TAG', meterValuesPerSession: 5, retryMs: 50 });
    load.start();
    await sleep(500);

    const filler = mounted ? fill(mounted) : null;
    if (mounted) assert.ok(statfsSync(mounted).bavail * statfsSync(mounted).bsize < 64 * 1024, 'the filesystem is full');
    const deadline = Date.now() + 30_000;
    while ((load.counts.errors.InternalError ?? 0) === 0) {
      assert.ok(Date.now() < deadline, 'money-bearing messages got InternalError once nothing could be written');
      await sleep(50);
    }
    const charger = chargers[0].connection;
    assert.ok(((await charger.call('Heartbeat', {})) as any).currentTime);
    assert.equal(((await charger.call('Authorize', { idTag: 'DISK-TAG' })) as any).idTagInfo.status, 'Accepted');
    assert.equal((await fetch(`${server.httpUrl}/healthz`)).status, 200);
    // Not ready, and not flapping: a small commit that fits in what a failed one left must not pass for recovery.
    for (let i = 0; i < 10; i++) {
      assert.equal((await fetch(`${server.httpUrl}/readyz`)).status, 503, `not ready while nothing can be written (check ${i + 1} of 10)`);
      await sleep(100);
    }
    assert.equal(server.process.exitCode, null, 'the process is running');

    if (filler) unlinkSync(filler);
    else execFileSync('prlimit', ['--pid', String(server.process.pid), '--fsize=unlimited:unlimited']);
    await load.acknowledgedAfter(Date.now(), 5000);
    await sleep(500);
    await load.stop();
    assert.equal((await fetch(`${server.httpUrl}/readyz`)).status, 200);
    await verifyLedger((path) => server!.api(path), load.ledger, chargers.map((c) => c.id));
    for (const c of chargers) await c.connection.close();
    await server.kill('SIGTERM');
    const file = new SqliteDatabase(join(dataDir, SQLITE_FILE), { readonly: true });
    try {
      assert.equal(file.pragma('integrity_check', { simple: true }), 'ok');
    } finally {
      file.close();
    }
  });
});
