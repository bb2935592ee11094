// The Local Authorization List and the authorization cache (PRODUCT.md local-list, local-list/version and
// clear-cache routes; CONFORMANCE 45–52), against the real server and storage (SQLite, or PostgreSQL with
// DATABASE_URL) and chargers on real WebSockets that keep a list the way OCPP 1.6 §5.15 describes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RpcConnection } from '../../src/ocpp/rpc/connection.js';
import { CallError } from '../../src/ocpp/rpc/errors.js';
import { bootPayload, startTestServer, type TestServer } from '../support/server.js';
import { CallLog, deleteTag, json, putTag, waitFor } from '../support/list-station.js';

type SendStatus = 'Accepted' | 'Failed' | 'NotSupported' | 'VersionMismatch';

interface Entry {
  idTag: string;
  idTagInfo?: { status: string; expiryDate?: string; parentIdTag?: string };
}

interface SimOptions {
  sendMax?: number;
  authMax?: number;
  /** The list the charger holds when it connects (a charger keeps its list across reconnects). */
  version?: number;
  list?: Map<string, Entry>;
  /** Handlers that replace the simulated ones. */
  handlers?: Record<string, (payload: any) => unknown>;
  boot?: boolean;
}

/** A charger that keeps a Local Authorization List as OCPP 1.6 §5.15 says, and records every call it receives. */
interface SimCharger extends CallLog<SendStatus> {
  id: string;
  conn: RpcConnection;
  version: number;
  list: Map<string, Entry>;
}

async function simCharger(t: TestServer, id: string, options: SimOptions = {}): Promise<SimCharger> {
  const sim: SimCharger = Object.assign(new CallLog<SendStatus>(), {
    id,
    conn: undefined as unknown as RpcConnection,
    version: options.version ?? 0,
    list: options.list ?? new Map<string, Entry>(),
  });
  const limits: Record<string, number | undefined> = { SendLocalListMaxLength: options.sendMax, LocalAuthListMaxLength: options.authMax };
  const sendLocalList = (req: { listVersion: number; updateType: string; localAuthorizationList?: Entry[] }): SendStatus => {
    const forced = sim.script.shift();
    if (forced) return forced;
    const entries = req.localAuthorizationList ?? [];
    if (options.sendMax !== undefined && entries.length > options.sendMax) return 'Failed';
    if (req.updateType === 'Differential' && req.listVersion <= sim.version) return 'VersionMismatch';
    const next = req.updateType === 'Full' ? new Map<string, Entry>() : new Map(sim.list);
    for (const entry of entries) {
      if (entry.idTagInfo) next.set(entry.idTag.toUpperCase(), entry);
      else next.delete(entry.idTag.toUpperCase());
    }
    if (options.authMax !== undefined && next.size > options.authMax) return 'Failed';
    sim.list = next;
    sim.version = req.listVersion;
    return 'Accepted';
  };
  const simulated: Record<string, (payload: any) => unknown> = {
    SendLocalList: async (req) => {
      const status = sendLocalList(req);
      sim.answers.push(status);
      return { status };
    },
    GetLocalListVersion: async () => ({ listVersion: sim.version }),
    GetConfiguration: async (req: { key?: string[] }) => {
      const keys = req.key ?? Object.keys(limits);
      const known = keys.filter((k) => limits[k] !== undefined);
      return {
        configurationKey: known.map((key) => ({ key, readonly: true, value: String(limits[key]) })),
        unknownKey: keys.filter((k) => limits[k] === undefined),
      };
    },
    ClearCache: async () => ({ status: 'Accepted' }),
  };
  sim.conn = await t.charger(id, { handlers: sim.handlers(simulated, options.handlers) });
  if (options.boot ?? true) await sim.conn.call('BootNotification', bootPayload);
  return sim;
}

async function push(t: TestServer, id: string, updateType: 'Full' | 'Differential'): Promise<{ status: number; body: any }> {
  const r = await t.api(`/api/v1/charge-points/${encodeURIComponent(id)}/local-list`, json({ updateType }));
  return { status: r.status, body: await r.json() };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Local Authorization List pushed through the API', () => {
  let t: TestServer;
  let cp45: SimCharger;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.close());

  it('CONFORMANCE 47: a Full of an empty whitelist clears the list with a versionNumber above 0', async () => {
    const cp = await simCharger(t, 'CP-47');
    const r = await push(t, 'CP-47', 'Full');
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { status: 'Accepted', listVersion: 1, updateType: 'Full', entries: 0, omitted: 0 });
    assert.deepEqual(cp.sends(), [{ listVersion: 1, updateType: 'Full', localAuthorizationList: [] }]);
  });

  it('CONFORMANCE 45: Full reads the limits first, sends every tag once with its idTagInfo (Blocked as Blocked) above the last version, and stores the Accepted version', async () => {
    await putTag(t, 'GROUP', { status: 'Accepted' });
    await putTag(t, 'alpha', { status: 'Accepted', parentIdTag: 'GROUP', expiryDate: '2099-01-01T00:00:00.000Z' });
    await putTag(t, 'BRAVO', { status: 'Blocked' });
    await putTag(t, 'CHARLIE', { status: 'Accepted' });
    cp45 = await simCharger(t, 'CP-45', { sendMax: 100, authMax: 1000 });

    const first = await push(t, 'CP-45', 'Full');
    assert.equal(first.status, 200);
    assert.deepEqual(first.body, { status: 'Accepted', listVersion: 1, updateType: 'Full', entries: 4, omitted: 0 });
    assert.deepEqual(cp45.actions(), ['GetConfiguration', 'SendLocalList']);
    assert.deepEqual([...cp45.received[0].payload.key].sort(), ['LocalAuthListMaxLength', 'SendLocalListMaxLength']);
    const [sent] = cp45.sends();
    assert.equal(sent.updateType, 'Full');
    assert.ok(sent.listVersion > 0);
    const entries: Entry[] = sent.localAuthorizationList;
    assert.equal(new Set(entries.map((e) => e.idTag.toUpperCase())).size, entries.length, 'idTags unique');
    assert.ok(entries.every((e) => e.idTagInfo), 'every entry of a Full carries idTagInfo');
    const byTag = Object.fromEntries(entries.map((e) => [e.idTag, e.idTagInfo]));
    assert.deepEqual(byTag, {
      alpha: { status: 'Accepted', parentIdTag: 'GROUP', expiryDate: '2099-01-01T00:00:00.000Z' },
      BRAVO: { status: 'Blocked' },
      CHARLIE: { status: 'Accepted' },
      GROUP: { status: 'Accepted' },
    });

    const second = await push(t, 'CP-45', 'Full');
    assert.equal(second.body.listVersion, 2, 'each Full is a version above the last acknowledged one');
    assert.equal(cp45.actions().filter((a) => a === 'GetConfiguration').length, 1, 'limits are read once');
    assert.equal((await t.server.storage.localLists.get('CP-45'))?.listVersion, 2);
  });

  it('CONFORMANCE 46: Differential asks GetLocalListVersion first, then sends only the changes: adds and updates with idTagInfo, removals without', async () => {
    const cp = await simCharger(t, 'CP-46');
    assert.equal((await push(t, 'CP-46', 'Full')).body.listVersion, 1);
    await putTag(t, 'BRAVO', { status: 'Accepted' });
    await putTag(t, 'DELTA', { status: 'Accepted', expiryDate: '2098-01-01T00:00:00.000Z' });
    await deleteTag(t, 'CHARLIE');
    const before = cp.received.length;

    const r = await push(t, 'CP-46', 'Differential');
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { status: 'Accepted', listVersion: 2, updateType: 'Differential', entries: 3, omitted: 0 });
    assert.deepEqual(cp.actions().slice(before), ['GetLocalListVersion', 'SendLocalList']);
    const sent = cp.sends().at(-1);
    assert.equal(sent.updateType, 'Differential');
    assert.equal(sent.listVersion, 2, 'above the version the charger reported');
    assert.deepEqual(sent.localAuthorizationList, [
      { idTag: 'CHARLIE' },
      { idTag: 'BRAVO', idTagInfo: { status: 'Accepted' } },
      { idTag: 'DELTA', idTagInfo: { status: 'Accepted', expiryDate: '2098-01-01T00:00:00.000Z' } },
    ]);
    assert.deepEqual([...cp.list.keys()].sort(), ['ALPHA', 'BRAVO', 'DELTA', 'GROUP']);
  });

  it('CONFORMANCE 46: a charger reporting another version than it acknowledged gets a Full above the reported one', async () => {
    const cp = await simCharger(t, 'CP-46B');
    await push(t, 'CP-46B', 'Full');
    cp.version = 7; // another system, or a reset, changed its list
    const r = await push(t, 'CP-46B', 'Differential');
    assert.deepEqual(r.body, { status: 'Accepted', listVersion: 8, updateType: 'Full', entries: 4, omitted: 0 });
    assert.deepEqual(cp.sends().at(-1).updateType, 'Full');
  });

  it('CONFORMANCE 48: a Differential answered VersionMismatch is resent once as a Full', async () => {
    const cp = await simCharger(t, 'CP-48');
    await push(t, 'CP-48', 'Full');
    await putTag(t, 'ECHO', { status: 'Accepted' });
    cp.script.push('VersionMismatch');
    const r = await push(t, 'CP-48', 'Differential');
    assert.deepEqual(r.body, { status: 'Accepted', listVersion: 2, updateType: 'Full', entries: 5, omitted: 0 });
    assert.deepEqual(
      cp.sends().map((s) => [s.updateType, s.listVersion]),
      [['Full', 1], ['Differential', 2], ['Full', 2]],
    );
    assert.equal(cp.list.size, 5);
  });

  it('CONFORMANCE 48: Failed on a Differential gets one Full; Failed on that Full is answered Failed, with no loop and no new version stored', async () => {
    const cp = await simCharger(t, 'CP-48F');
    await push(t, 'CP-48F', 'Full');
    await putTag(t, 'FOXTROT', { status: 'Accepted' });
    cp.script.push('Failed', 'Failed');
    const r = await push(t, 'CP-48F', 'Differential');
    assert.deepEqual(r.body, { status: 'Failed', listVersion: 1, updateType: 'Full', entries: 6, omitted: 0 });
    cp.script.push('Failed');
    const full = await push(t, 'CP-48F', 'Full');
    assert.equal(full.body.status, 'Failed');
    await sleep(300);
    assert.deepEqual(
      cp.sends().map((s) => s.updateType),
      ['Full', 'Differential', 'Full', 'Full'],
      'one Full per refused Differential, none after a refused Full',
    );
    assert.equal((await t.server.storage.localLists.get('CP-48F'))?.listVersion, 1);
  });

  it('CONFORMANCE 49: NotSupported is recorded; the next push is refused with 409 and nothing is sent', async () => {
    const cp = await simCharger(t, 'CP-49', { handlers: { SendLocalList: async () => ({ status: 'NotSupported' }) } });
    const first = await push(t, 'CP-49', 'Full');
    assert.equal(first.status, 200);
    assert.equal(first.body.status, 'NotSupported');
    const again = await push(t, 'CP-49', 'Differential');
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'not_supported_by_charger');
    assert.match(again.body.error.message, /does not support a local (authorization )?list/);
    assert.equal(cp.sends().length, 1);
    // The cache and the version query are other features: still served.
    assert.equal((await t.api('/api/v1/charge-points/CP-49/clear-cache', { method: 'POST' })).status, 200);
  });

  it('PRODUCT.md: GET local-list/version asks the charger; POST clear-cache answers its status', async () => {
    const cp = await simCharger(t, 'CP-VER', { version: 42, handlers: { ClearCache: async () => ({ status: 'Rejected' }) } });
    const version = await t.api('/api/v1/charge-points/CP-VER/local-list/version');
    assert.equal(version.status, 200);
    assert.deepEqual(await version.json(), { listVersion: 42 });
    const cleared = await t.api('/api/v1/charge-points/CP-VER/clear-cache', { method: 'POST' });
    assert.equal(cleared.status, 200);
    assert.deepEqual(await cleared.json(), { status: 'Rejected' });
    assert.deepEqual(cp.actions(), ['GetLocalListVersion', 'ClearCache']);
  });

  it('the acknowledged version and entries survive a restart: the next Differential carries only the changes since', async () => {
    const held = { version: cp45.version, list: cp45.list };
    assert.equal(held.version, 2);
    await t.restart();
    const cp = await simCharger(t, 'CP-45', { sendMax: 100, authMax: 1000, ...held });
    const r = await push(t, 'CP-45', 'Differential');
    assert.deepEqual(r.body, { status: 'Accepted', listVersion: 3, updateType: 'Differential', entries: 5, omitted: 0 });
    const sent = cp.sends()[0];
    const removals = sent.localAuthorizationList.filter((e: Entry) => !e.idTagInfo).map((e: Entry) => e.idTag);
    const upserts = sent.localAuthorizationList.filter((e: Entry) => e.idTagInfo).map((e: Entry) => e.idTag);
    assert.deepEqual(removals, ['CHARLIE']);
    assert.deepEqual(upserts, ['BRAVO', 'DELTA', 'ECHO', 'FOXTROT'], 'BRAVO was unblocked; the rest are new');
    assert.ok(!cp.actions().includes('GetConfiguration'), 'the limits were stored too');
    // NotSupported is durable as well.
    await simCharger(t, 'CP-49');
    assert.equal((await push(t, 'CP-49', 'Full')).status, 409);
  });
});

describe('Local Authorization List limits', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.close());

  it('CONFORMANCE 50: 10 000 tags, SendLocalListMaxLength 500, LocalAuthListMaxLength 5000: a Full then Differentials of at most 500, at most 5000 held, the overflow reported', async () => {
    const lines = ['idTag,status,expiryDate,parentIdTag,label'];
    for (let i = 0; i < 10_000; i++) lines.push(`TAG${String(i).padStart(5, '0')},${i % 10 === 0 ? 'Blocked' : 'Accepted'},,,`);
    const imported = await t.api('/api/v1/id-tags/import', { method: 'POST', headers: { 'content-type': 'text/csv' }, body: `${lines.join('\n')}\n` });
    const importText = await imported.text();
    assert.equal(imported.status, 200, importText);

    const cp = await simCharger(t, 'CP-50', { sendMax: 500, authMax: 5000 });
    const r = await push(t, 'CP-50', 'Full');
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { status: 'Accepted', listVersion: 10, updateType: 'Full', entries: 5000, omitted: 5000 });
    const sends = cp.sends();
    assert.equal(sends.length, 10);
    assert.deepEqual(sends.map((s) => s.updateType), ['Full', ...Array(9).fill('Differential')]);
    assert.deepEqual(sends.map((s) => s.listVersion), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.ok(sends.every((s) => s.localAuthorizationList.length <= 500), 'no message above SendLocalListMaxLength');
    assert.ok(cp.answers.every((a) => a === 'Accepted'), 'the charger never had to refuse (it refuses above its limits)');
    assert.equal(cp.list.size, 5000);
    assert.equal(cp.list.get('TAG00000')?.idTagInfo?.status, 'Blocked');

    // A new tag that sorts first takes a place: the last one leaves first, so the list never grows past 5000.
    await putTag(t, 'A-NEW', { status: 'Accepted' });
    const diff = await push(t, 'CP-50', 'Differential');
    assert.deepEqual(diff.body, { status: 'Accepted', listVersion: 11, updateType: 'Differential', entries: 2, omitted: 5001 });
    assert.deepEqual(cp.sends().at(-1).localAuthorizationList, [{ idTag: 'TAG04999' }, { idTag: 'A-NEW', idTagInfo: { status: 'Accepted' } }]);
    assert.equal(cp.list.size, 5000);
  });
});

describe('Charger commands that cannot be answered', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ callTimeoutMs: 300 });
  });
  after(() => t.close());

  const routes = (id: string): Array<[string, RequestInit]> => [
    [`/api/v1/charge-points/${id}/local-list`, json({ updateType: 'Full' })],
    [`/api/v1/charge-points/${id}/local-list/version`, {}],
    [`/api/v1/charge-points/${id}/clear-cache`, { method: 'POST' }],
  ];

  it('PRODUCT.md: 404 for an unknown charger, on all three routes', async () => {
    for (const [path, init] of routes('NO-SUCH-CP')) {
      const r = await t.api(path, init);
      assert.equal(r.status, 404, path);
      assert.equal(((await r.json()) as any).error.code, 'not_found');
    }
  });

  it('PRODUCT.md: 409 for a registered charger that is not connected, on all three routes', async () => {
    assert.equal((await t.api('/api/v1/charge-points/CP-OFFLINE', { ...json({}), method: 'PUT' })).status, 200);
    for (const [path, init] of routes('CP-OFFLINE')) {
      const r = await t.api(path, init);
      assert.equal(r.status, 409, path);
      assert.equal(((await r.json()) as any).error.code, 'charger_not_connected');
    }
  });

  it('PRODUCT.md: 504 when the charger does not answer in time, on all three routes; never a hang', async () => {
    const never = () => new Promise(() => {});
    await simCharger(t, 'CP-SILENT', { handlers: { SendLocalList: never, GetLocalListVersion: never, ClearCache: never } });
    for (const [path, init] of routes('CP-SILENT')) {
      const started = Date.now();
      const r = await t.api(path, init);
      assert.equal(r.status, 504, path);
      const body = (await r.json()) as any;
      assert.equal(body.error.code, 'charger_timeout');
      assert.ok(Date.now() - started < 5000, `${path} answered within the call timeout`);
    }
    assert.equal((await t.server.storage.localLists.get('CP-SILENT'))?.listVersion ?? 0, 0, 'nothing stored without an answer');
  });

  it('a CALLERROR from the charger is 502, naming its error code', async () => {
    const fail = async () => {
      throw new CallError('InternalError', 'list storage broken');
    };
    await simCharger(t, 'CP-BROKEN', { handlers: { SendLocalList: fail, GetLocalListVersion: fail, ClearCache: fail } });
    for (const [path, init] of routes('CP-BROKEN')) {
      const r = await t.api(path, init);
      assert.equal(r.status, 502, path);
      const body = (await r.json()) as any;
      assert.equal(body.error.code, 'charger_error');
      assert.match(body.error.message, /InternalError/);
    }
  });

  it('a charger that refuses SendLocalList with CALLERROR NotSupported is recorded as without a local list', async () => {
    const cp = await simCharger(t, 'CP-NO-PROFILE', {
      handlers: {
        SendLocalList: async () => {
          throw new CallError('NotSupported', 'SendLocalList is not supported');
        },
      },
    });
    assert.equal((await push(t, 'CP-NO-PROFILE', 'Full')).status, 502);
    assert.equal((await push(t, 'CP-NO-PROFILE', 'Full')).status, 409);
    assert.equal(cp.sends().length, 1);
  });
});

describe('Automatic Local Authorization List sync (localListSync)', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ localListSync: true });
    await putTag(t, 'AUTO-1', { status: 'Accepted' });
    await putTag(t, 'AUTO-2', { status: 'Accepted' });
  });
  after(() => t.close());

  let a: SimCharger;
  let b: SimCharger;
  let ns: SimCharger;

  it('a charger that boots behind gets the whitelist: GetLocalListVersion, then the missing entries', async () => {
    a = await simCharger(t, 'CP-AUTO-A');
    b = await simCharger(t, 'CP-AUTO-B');
    ns = await simCharger(t, 'CP-AUTO-NS', { handlers: { SendLocalList: async () => ({ status: 'NotSupported' }) } });
    await waitFor('both chargers to hold the whitelist', () => a.list.size === 2 && b.list.size === 2);
    assert.ok(a.actions().indexOf('GetLocalListVersion') < a.actions().indexOf('SendLocalList'));
    await waitFor('the NotSupported answer', () => ns.sends().length === 1);
  });

  it('CONFORMANCE 51: a tag blocked in Voltgate is pushed as Blocked to every list, then ClearCache; none to a charger without a list', async () => {
    const before = { a: a.received.length, b: b.received.length, ns: ns.received.length };
    const blockedAt = Date.now();
    await putTag(t, 'AUTO-1', { status: 'Blocked' });
    await waitFor('ClearCache on both chargers', () => a.actions().slice(before.a).includes('ClearCache') && b.actions().slice(before.b).includes('ClearCache'));
    assert.ok(Date.now() - blockedAt < 5000, 'within the sync SLA');
    for (const [cp, from] of [[a, before.a], [b, before.b]] as const) {
      const after = cp.received.slice(from);
      assert.deepEqual(after.map((r) => r.action), ['GetLocalListVersion', 'SendLocalList', 'ClearCache']);
      assert.deepEqual(after[1].payload.localAuthorizationList, [{ idTag: 'AUTO-1', idTagInfo: { status: 'Blocked' } }]);
      assert.equal(after[1].payload.updateType, 'Differential');
      // What the charger now holds offline: the tag, Blocked.
      assert.equal(cp.list.get('AUTO-1')?.idTagInfo?.status, 'Blocked');
    }
    await waitFor('ClearCache on the charger without a list', () => ns.actions().slice(before.ns).includes('ClearCache'));
    assert.equal(ns.sends().length, 1, 'no SendLocalList after NotSupported');
  });

  it('a deleted tag is removed from the lists, with ClearCache; an added one is pushed without', async () => {
    let from = a.received.length;
    await deleteTag(t, 'AUTO-2');
    await waitFor('the removal and ClearCache', () => a.actions().slice(from).includes('ClearCache'));
    assert.deepEqual(a.sends().at(-1).localAuthorizationList, [{ idTag: 'AUTO-2' }]);
    from = a.received.length;
    await putTag(t, 'AUTO-3', { status: 'Accepted' });
    await waitFor('the addition', () => a.list.has('AUTO-3'));
    await sleep(300);
    assert.ok(!a.actions().slice(from).includes('ClearCache'));
  });

  it('a charger that reconnects (without a BootNotification) behind the whitelist is brought up to date', async () => {
    const held = { version: a.version, list: a.list };
    a.conn.terminate();
    await waitFor('the disconnection', async () => !((await (await t.api('/api/v1/charge-points/CP-AUTO-A')).json()) as any).connected);
    await putTag(t, 'AUTO-4', { status: 'Accepted' });
    a = await simCharger(t, 'CP-AUTO-A', { ...held, boot: false });
    await waitFor('the missed addition', () => a.list.has('AUTO-4'));
    assert.deepEqual(a.sends().map((s) => s.localAuthorizationList), [[{ idTag: 'AUTO-4', idTagInfo: { status: 'Accepted' } }]]);
  });

  it('CONFORMANCE 52: StatusNotification connectorId 0 LocalListConflict is answered at once and followed by a Full resync', async () => {
    const from = b.received.length;
    const answer = await b.conn.call('StatusNotification', { connectorId: 0, status: 'Available', errorCode: 'LocalListConflict' });
    assert.deepEqual(answer, {});
    // A Differential of the previous test's change may still be on its way: the resync is the Full after it.
    const isFull = (r: { action: string; payload: any }) => r.action === 'SendLocalList' && r.payload.updateType === 'Full';
    await waitFor('the Full resync', () => b.received.slice(from).some(isFull));
    const full = b.received.slice(from).find(isFull)!.payload;
    assert.equal(full.updateType, 'Full');
    assert.deepEqual(
      full.localAuthorizationList.map((e: Entry) => [e.idTag, e.idTagInfo?.status]),
      [['AUTO-1', 'Blocked'], ['AUTO-3', 'Accepted'], ['AUTO-4', 'Accepted']],
    );
  });

  it('CONFORMANCE 48: a charger that keeps answering Failed is retried with back-off, not in a tight loop', async () => {
    const cp = await simCharger(t, 'CP-AUTO-FAIL');
    await waitFor('its first list', () => cp.list.size === 3);
    cp.script.push(...Array(50).fill('Failed'));
    const changedAt = Date.now();
    await putTag(t, 'AUTO-5', { status: 'Accepted' });
    await waitFor('a retry after the refused Full', () => cp.sends().length >= 4, 10_000);
    const elapsed = Date.now() - changedAt;
    // The change: a Differential, its one Full fallback; then a Full again after the back-off (2 s).
    assert.deepEqual(cp.sends().slice(1, 4).map((s) => s.updateType), ['Differential', 'Full', 'Full']);
    assert.ok(elapsed >= 2000, `the retry waited for the back-off (${elapsed} ms)`);
    await sleep(500);
    assert.ok(cp.sends().length <= 5, `no tight loop (${cp.sends().length} messages)`);
  });
});
