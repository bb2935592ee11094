// The automatic Local Authorization List sync (setting localListSync) for OCPP 2.0.1 stations (OCPP 2.0.1 Part 2
// D01 Send Local Authorization List, D02 Get Local List Version, C11 Clear Authorization Cache; CONFORMANCE
// 45–52 as test/integration/local-list.test.ts gives them for 1.6), against the real server and storage (SQLite,
// or PostgreSQL with DATABASE_URL) and stations on real WebSockets that keep a list the way D01 describes: entries
// keyed by their IdToken (the token, case-insensitive, and its type), limits in the LocalAuthListCtrlr device model.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type {
  AuthorizationData,
  GetVariableResultType,
  GetVariablesRequest,
  IdTokenType,
  SendLocalListRequest,
  SendLocalListStatusEnumType,
} from '../../src/ocpp/schemas/generated/v201.js';
import type { RpcConnection } from '../../src/ocpp/rpc/connection.js';
import { CallError } from '../../src/ocpp/rpc/errors.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { CallLog, deleteTag, putTag, waitFor } from '../support/list-station.js';

const V201 = ['ocpp2.0.1'];
const boot201 = { reason: 'PowerUp', chargingStation: { vendorName: 'Voltgate', model: 'Station-201' } };

/** A 2.0.1 list entry is one IdToken: the token (case-insensitive) and its type. */
const keyOf = (token: IdTokenType): string => `${token.type}:${token.idToken.toUpperCase()}`;

interface SimOptions {
  /** LocalAuthListCtrlr.ItemsPerMessage; undefined: the station has no LocalAuthListCtrlr at all. */
  itemsPerMessage?: number;
  /** The list the station holds when it connects (a station keeps its list across reconnects). */
  version?: number;
  list?: Map<string, AuthorizationData>;
  /** Handlers that replace the simulated ones. */
  handlers?: Record<string, (payload: any) => unknown>;
  boot?: boolean;
}

/** A 2.0.1 station that keeps a Local Authorization List as D01 says, and records every call it receives. */
interface SimStation extends CallLog<SendLocalListStatusEnumType> {
  id: string;
  conn: RpcConnection;
  version: number;
  list: Map<string, AuthorizationData>;
}

async function simStation(t: TestServer, id: string, options: SimOptions = {}): Promise<SimStation> {
  const sim: SimStation = Object.assign(new CallLog<SendLocalListStatusEnumType>(), {
    id,
    conn: undefined as unknown as RpcConnection,
    version: options.version ?? 0,
    list: options.list ?? new Map<string, AuthorizationData>(),
  });
  const itemsPerMessage = options.itemsPerMessage;
  // The Part 2 device model of a station with a list (LocalAuthListCtrlr); none when it has no list.
  const deviceModel = (): Record<string, Record<string, string>> =>
    itemsPerMessage === undefined
      ? {}
      : {
          LocalAuthListCtrlr: {
            Enabled: 'true',
            Available: 'true',
            ItemsPerMessage: String(itemsPerMessage),
            BytesPerMessage: '65536',
            Entries: String(sim.list.size),
          },
        };
  const sendLocalList = (req: SendLocalListRequest): SendLocalListStatusEnumType => {
    const forced = sim.script.shift();
    if (forced) return forced;
    const entries = req.localAuthorizationList ?? [];
    if (req.versionNumber <= 0) return 'Failed'; // D01.FR.18: 0 means "no list", never a version sent
    if (itemsPerMessage !== undefined && entries.length > itemsPerMessage) return 'Failed'; // more than ItemsPerMessage
    if (new Set(entries.map((e) => keyOf(e.idToken))).size !== entries.length) return 'Failed'; // D01.FR.06: unique
    if (req.updateType === 'Full') {
      if (entries.some((e) => !e.idTokenInfo)) return 'Failed';
    } else if (req.versionNumber <= sim.version) {
      return 'VersionMismatch'; // D01.FR.19
    }
    // Full replaces the list (D01.FR.04); a Differential adds or updates entries with idTokenInfo (D01.FR.16)
    // and removes those without (D01.FR.17).
    const next = req.updateType === 'Full' ? new Map<string, AuthorizationData>() : new Map(sim.list);
    for (const entry of entries) {
      if (entry.idTokenInfo) next.set(keyOf(entry.idToken), entry);
      else next.delete(keyOf(entry.idToken));
    }
    sim.list = next;
    sim.version = req.versionNumber;
    return 'Accepted';
  };
  const simulated: Record<string, (payload: any) => unknown> = {
    GetVariables: async (req: GetVariablesRequest) => ({
      getVariableResult: req.getVariableData.map((d): GetVariableResultType => {
        const component = deviceModel()[d.component.name];
        const value = component?.[d.variable.name];
        return {
          attributeStatus: !component ? 'UnknownComponent' : value === undefined ? 'UnknownVariable' : 'Accepted',
          ...(value === undefined ? {} : { attributeValue: value }),
          component: d.component,
          variable: d.variable,
        };
      }),
    }),
    GetLocalListVersion: async () => ({ versionNumber: sim.version }),
    SendLocalList: async (req: SendLocalListRequest) => {
      const status = sendLocalList(req);
      sim.answers.push(status);
      return { status };
    },
    ClearCache: async () => ({ status: 'Accepted' }),
  };
  sim.conn = await t.charger(id, { protocols: V201, handlers: sim.handlers(simulated, options.handlers) });
  assert.equal(sim.conn.protocol, 'ocpp2.0.1');
  if (options.boot ?? true) {
    const answer = (await sim.conn.call('BootNotification', boot201)) as { status: string };
    assert.equal(answer.status, 'Accepted');
  }
  return sim;
}

// The whitelist: a typed RFID card in a group with an expiry, its group (no type: sent as ISO14443), a Blocked
// card, and an eMAID of 36 characters (a 2.0.1 idToken may have 36; a 1.6 idTag only 20).
const RFID = '04A1B2C3D4E5F6';
const GROUP = 'GROUP-201';
const LOST = 'LOST-201';
const EMAID = 'NL-VOL-C12345678-9-ABCDEFGHIJKLMNOPQ';
const PIN = 'PIN-4711';

const token = (idToken: string, type: IdTokenType['type']): IdTokenType => ({ idToken, type });

describe('Automatic Local Authorization List sync for OCPP 2.0.1 stations (localListSync)', () => {
  let t: TestServer;
  let a: SimStation;
  let b: SimStation;
  let ns: SimStation;

  before(async () => {
    assert.equal(EMAID.length, 36);
    t = await startTestServer({ localListSync: true });
    const witness = await simStation(t, 'ST-AUTO-WITNESS', { itemsPerMessage: 100 });
    await putTag(t, GROUP, { status: 'Accepted', maxActiveTransactions: 10 });
    await putTag(t, RFID, { status: 'Accepted', idTokenType: 'ISO14443', parentIdTag: GROUP, expiryDate: '2099-01-01T00:00:00.000Z' });
    await putTag(t, EMAID, { status: 'Accepted', idTokenType: 'eMAID' });
    await putTag(t, LOST, { status: 'Blocked' });
    // The whitelist window of the last of these writes (a Blocked tag: caches to clear) is over once a station that
    // was connected meanwhile got its ClearCache; the stations under test then start from a settled whitelist.
    await waitFor('the whitelist window to reach a connected station', () => witness.actions().includes('ClearCache'));
    witness.conn.terminate();
  });
  after(() => t.close());

  it('D01 / D02 / CONFORMANCE 45–46: a 2.0.1 station that boots behind gets the whitelist: ItemsPerMessage and BytesPerMessage read with GetVariables, GetLocalListVersion, then SendLocalList in 2.0.1 shape within ItemsPerMessage, each token with its type', async () => {
    a = await simStation(t, 'ST-AUTO-A', { itemsPerMessage: 2 });
    b = await simStation(t, 'ST-AUTO-B', { itemsPerMessage: 2 });
    // A station without a list: no LocalAuthListCtrlr, and SendLocalList refused with the CALLERROR NotSupported
    // (2.0.1's SendLocalListStatusEnumType has no NotSupported).
    ns = await simStation(t, 'ST-AUTO-NS', {
      handlers: {
        SendLocalList: async () => {
          throw new CallError('NotSupported', 'this station has no local authorization list');
        },
      },
    });
    await waitFor('both stations to hold the whitelist', () => a.version === 2 && b.version === 2);
    await waitFor('the station without a list to be recorded as such', async () => (await t.server.storage.localLists.get('ST-AUTO-NS'))?.notSupported === true);

    for (const station of [a, b]) {
      assert.deepEqual(station.actions(), ['GetVariables', 'GetLocalListVersion', 'SendLocalList', 'SendLocalList'], station.id);
      assert.deepEqual(station.received[0].payload.getVariableData, [
        { component: { name: 'LocalAuthListCtrlr' }, variable: { name: 'ItemsPerMessage' } },
        { component: { name: 'LocalAuthListCtrlr' }, variable: { name: 'BytesPerMessage' } },
      ]);
      // The station reported version 0 (no list, D02.FR.03): the entries go as Differentials above it (D01.FR.18: never
      // version 0), at most ItemsPerMessage each, in key order, every token with its type (none known: ISO14443), the
      // group as groupIdToken and the expiry as cacheExpiryDateTime; the Blocked card is pushed as Blocked.
      assert.deepEqual(station.sends(), [
        {
          versionNumber: 1,
          updateType: 'Differential',
          localAuthorizationList: [
            {
              idToken: token(RFID, 'ISO14443'),
              idTokenInfo: { status: 'Accepted', cacheExpiryDateTime: '2099-01-01T00:00:00.000Z', groupIdToken: token(GROUP, 'Central') },
            },
            { idToken: token(GROUP, 'ISO14443'), idTokenInfo: { status: 'Accepted' } },
          ],
        },
        {
          versionNumber: 2,
          updateType: 'Differential',
          localAuthorizationList: [
            { idToken: token(LOST, 'ISO14443'), idTokenInfo: { status: 'Blocked' } },
            { idToken: token(EMAID, 'eMAID'), idTokenInfo: { status: 'Accepted' } },
          ],
        },
      ]);
      assert.deepEqual(station.answers, ['Accepted', 'Accepted']);
      assert.deepEqual([...station.list.keys()].sort(), [`eMAID:${EMAID}`, `ISO14443:${RFID}`, `ISO14443:${GROUP}`, `ISO14443:${LOST}`].sort());
    }
    // The station holds the list once it has answered; the CSMS stores the version when that answer arrives.
    await waitFor('the acknowledged version to be stored', async () => (await t.server.storage.localLists.get('ST-AUTO-A'))?.listVersion === 2);
    assert.ok((await t.server.storage.localLists.entries('ST-AUTO-A')).some((e) => e.idTag === EMAID), 'the 36-character token is held, not omitted');

    // D02: the version the REST route reports is the station's own answer to GetLocalListVersion.
    const version = await t.api('/api/v1/charge-points/ST-AUTO-A/local-list/version');
    assert.equal(version.status, 200);
    assert.deepEqual(await version.json(), { listVersion: 2 });

    assert.deepEqual(ns.actions(), ['GetVariables', 'GetLocalListVersion', 'SendLocalList']);
    assert.equal(ns.sends().length, 1);
  });

  it('D01.FR.16 / C11 / CONFORMANCE 51: a token blocked through REST reaches every 2.0.1 list as Blocked in a Differential, then ClearCache; ClearCache only to a station without a list', async () => {
    const before = { a: a.received.length, b: b.received.length, ns: ns.received.length };
    const blockedAt = Date.now();
    await putTag(t, EMAID, { status: 'Blocked', idTokenType: 'eMAID' });
    await waitFor('ClearCache on both stations', () => a.actions().slice(before.a).includes('ClearCache') && b.actions().slice(before.b).includes('ClearCache'));
    assert.ok(Date.now() - blockedAt < 5000, 'within the sync SLA');
    for (const [station, from] of [[a, before.a], [b, before.b]] as const) {
      const after = station.since(from);
      assert.deepEqual(after.map((r) => r.action), ['GetLocalListVersion', 'SendLocalList', 'ClearCache'], station.id);
      assert.deepEqual(after[1].payload, {
        versionNumber: 3,
        updateType: 'Differential',
        localAuthorizationList: [{ idToken: token(EMAID, 'eMAID'), idTokenInfo: { status: 'Blocked' } }],
      });
      // What the station now holds offline: the token, Blocked, under its own type (no second entry).
      assert.equal(station.list.get(`eMAID:${EMAID}`)?.idTokenInfo?.status, 'Blocked');
      assert.equal(station.list.size, 4);
    }
    await waitFor('ClearCache on the station without a list', () => ns.actions().slice(before.ns).includes('ClearCache'));
    assert.equal(ns.sends().length, 1, 'no SendLocalList after NotSupported');
  });

  it('D01.FR.17 / C11 / CONFORMANCE 51: a deleted token is removed (an entry without idTokenInfo), with ClearCache; an added one is pushed without', async () => {
    let from = a.received.length;
    await deleteTag(t, LOST);
    await waitFor('the removal and ClearCache', () => a.actions().slice(from).includes('ClearCache'));
    assert.deepEqual(a.since(from).map((r) => r.action), ['GetLocalListVersion', 'SendLocalList', 'ClearCache']);
    assert.deepEqual(a.sends().at(-1), { versionNumber: 4, updateType: 'Differential', localAuthorizationList: [{ idToken: token(LOST, 'ISO14443') }] });
    assert.ok(!a.list.has(`ISO14443:${LOST}`), 'the station no longer holds it');

    from = a.received.length;
    await putTag(t, PIN, { status: 'Accepted', idTokenType: 'KeyCode' });
    await waitFor('the addition', () => a.list.has(`KeyCode:${PIN}`));
    assert.deepEqual(a.sends().at(-1), {
      versionNumber: 5,
      updateType: 'Differential',
      localAuthorizationList: [{ idToken: token(PIN, 'KeyCode'), idTokenInfo: { status: 'Accepted' } }],
    });
    // A station's syncs run one after another: once the next change has reached it, a ClearCache of the addition
    // would have come before.
    await putTag(t, 'FENCE-201', { status: 'Accepted' });
    await waitFor('the next change', () => a.list.has('ISO14443:FENCE-201') && b.list.has('ISO14443:FENCE-201'));
    assert.deepEqual(a.since(from).map((r) => r.action), ['GetLocalListVersion', 'SendLocalList', 'GetLocalListVersion', 'SendLocalList'], 'no ClearCache for additions');
  });

  it('D01.FR.19 / CONFORMANCE 48: a Differential answered VersionMismatch is resent once as a Full, chunked per ItemsPerMessage', async () => {
    const from = b.received.length;
    const answersFrom = b.answers.length;
    const v = b.version;
    b.script.push('VersionMismatch');
    await putTag(t, 'ECHO-201', { status: 'Accepted' });
    const sent = () => b.since(from).filter((r) => r.action === 'SendLocalList').length;
    await waitFor('the Full resync to complete', () => sent() >= 4 && b.list.size === 6);
    await waitFor('the other station to get the change', () => a.list.has('ISO14443:ECHO-201'));
    const sends = b.since(from).filter((r) => r.action === 'SendLocalList').map((r) => r.payload as SendLocalListRequest);
    assert.deepEqual(
      sends.map((s) => [s.updateType, s.versionNumber]),
      [['Differential', v + 1], ['Full', v + 1], ['Differential', v + 2], ['Differential', v + 3]],
      'one Full (above the acknowledged version), its rest as Differentials; no second fallback',
    );
    assert.deepEqual(b.answers.slice(answersFrom), ['VersionMismatch', 'Accepted', 'Accepted', 'Accepted']);
    assert.deepEqual(sends[0].localAuthorizationList, [{ idToken: token('ECHO-201', 'ISO14443'), idTokenInfo: { status: 'Accepted' } }]);
    assert.ok(sends.every((s) => (s.localAuthorizationList ?? []).length <= 2), 'within ItemsPerMessage');
    const full = sends.slice(1).flatMap((s) => s.localAuthorizationList ?? []);
    assert.deepEqual(
      full.map((e) => [e.idToken.idToken, e.idToken.type, e.idTokenInfo?.status]),
      [
        [RFID, 'ISO14443', 'Accepted'],
        ['ECHO-201', 'ISO14443', 'Accepted'],
        ['FENCE-201', 'ISO14443', 'Accepted'],
        [GROUP, 'ISO14443', 'Accepted'],
        [EMAID, 'eMAID', 'Blocked'],
        [PIN, 'KeyCode', 'Accepted'],
      ],
      'the whole whitelist, each token once with its type and idTokenInfo',
    );
    assert.ok(!b.since(from).some((r) => r.action === 'ClearCache'), 'an addition clears no cache');
    await waitFor(`version ${v + 3} to be stored`, async () => (await t.server.storage.localLists.get('ST-AUTO-B'))?.listVersion === v + 3);
  });

  it('D02 / D01.FR.16 / CONFORMANCE 46: a 2.0.1 station that reconnects (without a BootNotification) behind the whitelist is asked its version and sent only what it missed', async () => {
    const held = { version: a.version, list: a.list };
    a.conn.terminate();
    await waitFor('the disconnection', async () => !((await (await t.api('/api/v1/charge-points/ST-AUTO-A')).json()) as any).connected);
    await putTag(t, 'GOLF-201', { status: 'Accepted', idTokenType: 'ISO15693' });
    a = await simStation(t, 'ST-AUTO-A', { itemsPerMessage: 2, ...held, boot: false });
    await waitFor('the missed addition', () => a.list.has('ISO15693:GOLF-201'));
    assert.deepEqual(a.actions(), ['GetLocalListVersion', 'SendLocalList'], 'its limits were stored: no GetVariables again');
    assert.deepEqual(a.sends(), [
      {
        versionNumber: held.version + 1,
        updateType: 'Differential',
        localAuthorizationList: [{ idToken: token('GOLF-201', 'ISO15693'), idTokenInfo: { status: 'Accepted' } }],
      },
    ]);
    await waitFor('the other station to get the change', () => b.list.has('ISO15693:GOLF-201'));
  });

  it('CONFORMANCE 52 has no 2.0.1 counterpart: 2.0.1 defines no LocalListConflict; a NotifyEvent about the LocalAuthListCtrlr is acknowledged and starts no Full resync', async () => {
    const from = b.received.length;
    const now = new Date().toISOString();
    const answer = await b.conn.call('NotifyEvent', {
      generatedAt: now,
      seqNo: 0,
      eventData: [
        {
          eventId: 1,
          timestamp: now,
          trigger: 'Delta',
          actualValue: String(b.list.size),
          eventNotificationType: 'HardWiredNotification',
          component: { name: 'LocalAuthListCtrlr' },
          variable: { name: 'Entries' },
        },
      ],
    });
    assert.deepEqual(answer, {});
    // A resync would be owed at once; a whitelist change waits for its window: the next list traffic is the change.
    await putTag(t, 'HOTEL-201', { status: 'Accepted' });
    await waitFor('the change', () => b.list.has('ISO14443:HOTEL-201') && a.list.has('ISO14443:HOTEL-201'));
    assert.deepEqual(
      b.since(from).map((r) => [r.action, r.payload.updateType]),
      [['GetLocalListVersion', undefined], ['SendLocalList', 'Differential']],
    );
  });

  it('D01.FR.17: a deleted token of another type than ISO14443 is removed under its own type', async () => {
    const from = a.received.length;
    assert.equal(a.list.get(`KeyCode:${PIN}`)?.idTokenInfo?.status, 'Accepted');
    await deleteTag(t, PIN);
    await waitFor('the removal and ClearCache', () => a.actions().slice(from).includes('ClearCache'));
    const removal = a.sends().at(-1)!;
    assert.equal(removal.updateType, 'Differential');
    // The station keys its entries by token and type: removed under any other type, it would keep authorizing it.
    assert.deepEqual(
      removal.localAuthorizationList,
      [{ idToken: token(PIN, 'KeyCode') }],
      `the station still holds ${PIN} (KeyCode) as ${a.list.get(`KeyCode:${PIN}`)?.idTokenInfo?.status ?? 'nothing'}`,
    );
    assert.equal(a.list.has(`KeyCode:${PIN}`), false);
  });

  it('D01.FR.06 / D01.FR.17: a token whose type changes is removed under its old type and sent under the new one', async () => {
    await putTag(t, 'RETYPE-201', { status: 'Accepted', idTokenType: 'ISO15693' });
    await waitFor('the token under its first type', () => a.list.has('ISO15693:RETYPE-201'));
    const from = a.received.length;
    await putTag(t, 'RETYPE-201', { status: 'Accepted', idTokenType: 'eMAID' });
    await waitFor('the token under its new type', () => a.list.has('eMAID:RETYPE-201'));
    assert.equal(a.list.has('ISO15693:RETYPE-201'), false, 'the old entry is gone from the station');
    const sent = a.since(from).filter((r) => r.action === 'SendLocalList').flatMap((r) => r.payload.localAuthorizationList ?? []);
    assert.deepEqual(
      sent.filter((e: any) => e.idToken.idToken === 'RETYPE-201').map((e: any) => [e.idToken.type, e.idTokenInfo?.status ?? null]),
      [['ISO15693', null], ['eMAID', 'Accepted']],
    );
  });
});
