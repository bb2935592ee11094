// The OCPP-J transport on real sockets: a bare RpcServer on an http server on port 0, raw ws clients
// sending raw frames, and the exact frames that come back (CONFORMANCE 1–20, 22).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import WebSocket from 'ws';
import { RpcServer, type RpcServerOptions } from '../../src/ocpp/rpc/server.js';
import { connectRpc } from '../../src/ocpp/rpc/client.js';
import type { RpcConnection } from '../../src/ocpp/rpc/connection.js';
import { CallError, CallTimeoutError, ConnectionClosedError, OutboundValidationError } from '../../src/ocpp/rpc/errors.js';

const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const start = { connectorId: 1, idTag: 'TAG', meterStart: 0, timestamp: '2026-01-01T00:00:00Z' };

const handlers = {
  Heartbeat: () => ({ currentTime: new Date().toISOString() }),
  Authorize: () => {
    throw new Error('injected bug with a secret stack');
  },
  StartTransaction: async () => {
    await sleep(60);
    return { transactionId: 1, idTagInfo: { status: 'Accepted' } };
  },
  StopTransaction: () => ({}),
  DataTransfer: () => ({ notAField: true }), // answer that fails the response schema
  BootNotification: () => {
    throw new CallError('SecurityError', 'not now', { why: 'test' });
  },
};

interface Harness {
  url: string;
  rpc: RpcServer;
  close(): Promise<void>;
}

async function startRpc(overrides: Partial<RpcServerOptions> = {}): Promise<Harness> {
  const http: Server = createServer();
  const rpc = new RpcServer({
    protocols: ['ocpp1.6'],
    defaultProtocol: 'ocpp1.6',
    maxPayloadBytes: 4096,
    pingIntervalMs: 0,
    callTimeoutMs: 300,
    maxBadMessages: Infinity,
    logger,
    authenticate: async ({ basicAuth }) =>
      basicAuth?.password === 'wrong' ? { accept: false, status: 401 } : { accept: true },
    handlersFor: () => handlers,
    ...overrides,
  });
  http.on('upgrade', (req, socket, head) => rpc.handleUpgrade(req, socket, head));
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const { port } = http.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/ocpp`,
    rpc,
    async close() {
      await rpc.close();
      http.closeAllConnections();
      await new Promise((r) => http.close(r));
    },
  };
}

/** A raw ws client: sends text, reads parsed frames in order. */
class Raw {
  readonly inbox: unknown[] = [];
  private waiter: ((f: unknown) => void) | null = null;
  readonly closed: Promise<{ code: number; reason: string }>;
  upgradeHeaders: Record<string, string | string[] | undefined> = {};

  constructor(readonly socket: WebSocket) {
    socket.on('upgrade', (res) => (this.upgradeHeaders = res.headers));
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as unknown;
      if (this.waiter) {
        const w = this.waiter;
        this.waiter = null;
        w(frame);
      } else this.inbox.push(frame);
    });
    socket.on('error', () => {});
    this.closed = new Promise((r) => socket.on('close', (code, reason) => r({ code, reason: String(reason) })));
  }

  static async open(url: string, protocols: string[] = ['ocpp1.6'], options: WebSocket.ClientOptions = {}): Promise<Raw> {
    const raw = new Raw(new WebSocket(url, protocols, options));
    await new Promise<void>((resolve, reject) => {
      raw.socket.once('open', () => resolve());
      raw.socket.once('unexpected-response', (_req, res) => reject(Object.assign(new Error('refused'), { status: res.statusCode })));
      raw.socket.once('error', reject);
    });
    return raw;
  }

  send(frame: string | unknown[]): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  next(ms = 1000): Promise<any> {
    if (this.inbox.length) return Promise.resolve(this.inbox.shift());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        reject(new Error(`no frame within ${ms} ms`));
      }, ms);
      this.waiter = (f) => {
        clearTimeout(timer);
        resolve(f);
      };
    });
  }

  async silentFor(ms: number): Promise<boolean> {
    return this.next(ms).then(
      (frame) => {
        this.inbox.unshift(frame);
        return false;
      },
      () => true,
    );
  }
}

/** Status code of a refused upgrade. */
async function refusal(url: string, protocols: string[], options: WebSocket.ClientOptions = {}): Promise<number> {
  try {
    const raw = await Raw.open(url, protocols, options);
    raw.socket.terminate();
    return 101;
  } catch (error) {
    return (error as { status?: number }).status ?? -1;
  }
}

const connected = (rpc: RpcServer, identity: string) =>
  new Promise<RpcConnection>((resolve) => {
    const existing = rpc.get(identity);
    if (existing) return resolve(existing);
    const on = (c: RpcConnection) => {
      if (c.identity !== identity) return;
      rpc.off('connection', on);
      resolve(c);
    };
    rpc.on('connection', on);
  });

describe('OCPP-J framing over a real socket (OCPP 1.6)', () => {
  let h: Harness;
  let raw: Raw;
  before(async () => {
    h = await startRpc();
    raw = await Raw.open(`${h.url}/CP-FRAME`);
  });
  after(async () => {
    raw.socket.terminate();
    await h.close();
  });

  const stillServed = async () => {
    raw.send([2, 'hb', 'Heartbeat', {}]);
    const answer = await raw.next();
    assert.deepEqual([answer[0], answer[1]], [3, 'hb']);
  };

  it('OCPP-J 1.6 §4.2.3 / CONFORMANCE 1: text that is not JSON gets [4,"-1","FormationViolation",…,{}] and the socket stays open', async () => {
    raw.send('hello');
    const error = await raw.next();
    assert.deepEqual(error, [4, '-1', 'FormationViolation', 'frame is not valid JSON', {}]);
    await stillServed();
  });

  it('CONFORMANCE 2: JSON that is not an array ({}, 42, null) gets CALLERROR "-1" FormationViolation', async () => {
    for (const text of ['{}', '42', 'null']) {
      raw.send(text);
      assert.deepEqual((await raw.next()).slice(0, 3), [4, '-1', 'FormationViolation']);
    }
    await stillServed();
  });

  it('OCPP-J 1.6 §4.1.3 / CONFORMANCE 3: an unknown message type gets no reply in 1.6', async () => {
    raw.send([5, 'id1', {}]);
    assert.equal(await raw.silentFor(150), true);
    await stillServed();
  });

  it('OCPP-J 1.6 §4.1.4 / CONFORMANCE 4: a bad element count, a non-string id or an id over 36 chars gets a CALLERROR, id echoed only when readable', async () => {
    raw.send([2, 'short', 'Heartbeat']);
    assert.deepEqual((await raw.next()).slice(0, 3), [4, 'short', 'FormationViolation']);
    raw.send([2, 17, 'Heartbeat', {}]);
    assert.deepEqual((await raw.next()).slice(0, 3), [4, '-1', 'FormationViolation']);
    raw.send([2, 'x'.repeat(37), 'Heartbeat', {}]);
    assert.deepEqual((await raw.next()).slice(0, 3), [4, '-1', 'FormationViolation']);
    raw.send([2, 'p', 'Heartbeat', 'not an object']);
    assert.deepEqual((await raw.next()).slice(0, 3), [4, 'p', 'FormationViolation']);
  });

  it('OCPP-J 1.6 Table 7 / CONFORMANCE 5: unknown and wrongly cased actions get NotImplemented, a known action without a handler NotSupported', async () => {
    raw.send([2, 'u1', 'FooBar', {}]);
    assert.deepEqual((await raw.next()).slice(0, 3), [4, 'u1', 'NotImplemented']);
    raw.send([2, 'u2', 'heartbeat', {}]);
    assert.deepEqual((await raw.next()).slice(0, 3), [4, 'u2', 'NotImplemented']);
    raw.send([2, 'u3', 'StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' }]);
    assert.deepEqual((await raw.next()).slice(0, 3), [4, 'u3', 'NotSupported']);
  });

  it('OCPP-J 1.6 §4.2.3 / CONFORMANCE 6: a CALL missing a required field gets OccurenceConstraintViolation', async () => {
    const { meterStart: _m, ...missing } = start;
    raw.send([2, 's1', 'StartTransaction', missing]);
    assert.deepEqual(await raw.next(), [4, 's1', 'OccurenceConstraintViolation', 'missing required field meterStart', {}]);
  });

  it('OCPP-J 1.6 Table 7 / CONFORMANCE 6: a wrong type gets TypeConstraintViolation, a bad enum or too long a string PropertyConstraintViolation, an undeclared field FormationViolation', async () => {
    raw.send([2, 's2', 'StartTransaction', { ...start, connectorId: '1' }]);
    assert.deepEqual((await raw.next()).slice(0, 4), [4, 's2', 'TypeConstraintViolation', 'connectorId: must be integer']);
    raw.send([2, 's3', 'Authorize', { idTag: 'X'.repeat(21) }]);
    assert.deepEqual((await raw.next()).slice(0, 3), [4, 's3', 'PropertyConstraintViolation']);
    raw.send([2, 's4', 'StopTransaction', { transactionId: 1, meterStop: 1, timestamp: start.timestamp, reason: 'Bored' }]);
    assert.deepEqual((await raw.next()).slice(0, 3), [4, 's4', 'PropertyConstraintViolation']);
    raw.send([2, 's5', 'Heartbeat', { extra: 1 }]);
    assert.deepEqual((await raw.next()).slice(0, 3), [4, 's5', 'FormationViolation']);
  });

  it('OCPP.Core#31 / CONFORMANCE 8–9: a handler that throws gets InternalError without a stack, and the next CALL still works', async () => {
    raw.send([2, 'a1', 'Authorize', { idTag: 'TAG' }]);
    const error = await raw.next();
    assert.deepEqual(error.slice(0, 3), [4, 'a1', 'InternalError']);
    assert.equal(error.length, 5);
    assert.ok(error[3].length <= 255 && !/secret|at .*\.ts/.test(error[3]), 'no stack or message leaked');
    assert.deepEqual(error[4], {});
    await stillServed();
  });

  it('a handler throwing CallError answers that code and details; an answer failing the response schema becomes InternalError', async () => {
    raw.send([2, 'b1', 'BootNotification', { chargePointVendor: 'v', chargePointModel: 'm' }]);
    assert.deepEqual(await raw.next(), [4, 'b1', 'SecurityError', 'not now', { why: 'test' }]);
    raw.send([2, 'd1', 'DataTransfer', { vendorId: 'v' }]);
    assert.deepEqual((await raw.next()).slice(0, 3), [4, 'd1', 'InternalError']);
  });

  it('OCPP-J 1.6 §4.1.1 / CONFORMANCE 10: two CALLs sent back-to-back are both answered (handlers run concurrently)', async () => {
    raw.send([2, 'c1', 'StartTransaction', start]);
    raw.send([2, 'c2', 'Heartbeat', {}]);
    const first = await raw.next();
    const second = await raw.next();
    // The slow StartTransaction does not hold the Heartbeat back.
    assert.deepEqual([first[0], first[1], second[0], second[1]], [3, 'c2', 3, 'c1']);
    assert.deepEqual(second[2], { transactionId: 1, idTagInfo: { status: 'Accepted' } });
  });
});

describe('outbound CALLs (CSMS → charger)', () => {
  let h: Harness;
  before(async () => {
    h = await startRpc();
  });
  after(() => h.close());

  async function pair(identity: string) {
    const conn = connected(h.rpc, identity);
    const raw = await Raw.open(`${h.url}/${identity}`);
    return { raw, conn: await conn };
  }

  it('OCPP-J 1.6 §4.1.1 NOTE / CONFORMANCE 11–12: an inbound CALL is answered while ours is pending; our next CALL waits; an unmatched answer is ignored', async () => {
    const { raw, conn } = await pair('CP-OUT-1');
    try {
      const a = conn.call('GetConfiguration', {});
      const callA = await raw.next();
      assert.equal(callA[2], 'GetConfiguration');
      assert.match(callA[1], /^[0-9a-f-]{36}$/);
      raw.send([2, 'in1', 'Heartbeat', {}]);
      assert.deepEqual((await raw.next()).slice(0, 2), [3, 'in1']);
      const b = conn.call('ClearCache', {});
      assert.equal(await raw.silentFor(100), true, 'the second CALL waits for the first');
      raw.send([3, 'no-such-id', {}]);
      raw.send([4, 'other-id', 'GenericError', '', {}]);
      raw.send([3, callA[1], { configurationKey: [] }]);
      assert.deepEqual(await a, { configurationKey: [] });
      const callB = await raw.next();
      assert.equal(callB[2], 'ClearCache');
      raw.send([3, callB[1], { status: 'Accepted' }]);
      assert.deepEqual(await b, { status: 'Accepted' });
    } finally {
      raw.socket.terminate();
    }
  });

  it('ocpp-rpc callTimeoutMs / CONFORMANCE 13: an unanswered CALL rejects with CallTimeoutError and the queue moves on', async () => {
    const { raw, conn } = await pair('CP-OUT-2');
    try {
      const a = conn.call('ClearCache', {}, { timeoutMs: 80 });
      const b = conn.call('ClearCache', {});
      await raw.next();
      await assert.rejects(a, (e: unknown) => e instanceof CallTimeoutError && e.code === 'Timeout');
      const callB = await raw.next();
      raw.send([3, callB[1], { status: 'Rejected' }]);
      assert.deepEqual(await b, { status: 'Rejected' });
    } finally {
      raw.socket.terminate();
    }
  });

  it('lbbrhzn/ocpp#899 / CONFORMANCE 7: a CALLERROR in either spelling, or an unknown code, fails only that call', async () => {
    const { raw, conn } = await pair('CP-OUT-3');
    try {
      for (const code of ['FormatViolation', 'FormationViolation', 'OccurrenceConstraintViolation', 'MadeUpByVendor']) {
        const p = conn.call('ClearCache', {});
        const call = await raw.next();
        raw.send([4, call[1], code, 'nope', { hint: 1 }]);
        await assert.rejects(p, (e: unknown) => e instanceof CallError && e.code === code && e.details.hint === 1);
      }
      const p = conn.call('ClearCache', {});
      const call = await raw.next();
      raw.send([3, call[1], { status: 'Accepted' }]);
      assert.deepEqual(await p, { status: 'Accepted' });
    } finally {
      raw.socket.terminate();
    }
  });

  it('an answer failing the response schema rejects with FormationViolation; an invalid outbound payload is never sent', async () => {
    const { raw, conn } = await pair('CP-OUT-4');
    try {
      const p = conn.call('ClearCache', {});
      const call = await raw.next();
      raw.send([3, call[1], { status: 'Maybe' }]);
      await assert.rejects(p, (e: unknown) => e instanceof CallError && e.code === 'FormationViolation');
      await assert.rejects(conn.call('Reset', { type: 'Gentle' }), OutboundValidationError);
      await assert.rejects(conn.call('NoSuchAction', {}), OutboundValidationError);
      assert.equal(await raw.silentFor(80), true);
    } finally {
      raw.socket.terminate();
    }
  });

  it('ocpp-rpc close semantics / CONFORMANCE 74: pending and queued CALLs reject at once when the socket drops', async () => {
    const { raw, conn } = await pair('CP-OUT-5');
    const a = conn.call('ClearCache', {}, { timeoutMs: 10_000 });
    const b = conn.call('ClearCache', {}, { timeoutMs: 10_000 });
    await raw.next();
    const started = Date.now();
    raw.socket.terminate();
    await assert.rejects(a, ConnectionClosedError);
    await assert.rejects(b, ConnectionClosedError);
    assert.ok(Date.now() - started < 1000);
    await assert.rejects(conn.call('ClearCache', {}), ConnectionClosedError);
  });

  it('Part 4 §4.1.4 / CONFORMANCE 14: outbound message ids are unique UUIDs (10⁴ real CALLs)', async () => {
    const ids = new Set<string>();
    const charger = await connectRpc({
      url: `${h.url}/CP-IDS`,
      identity: 'CP-IDS',
      protocols: ['ocpp1.6'],
      handlers: { ClearCache: (_p: unknown, ctx: { messageId: string }) => (ids.add(ctx.messageId), { status: 'Accepted' }) },
    });
    try {
      const conn = await connected(h.rpc, 'CP-IDS');
      const n = 10_000;
      await Promise.all(Array.from({ length: n }, () => conn.call('ClearCache', {})));
      assert.equal(ids.size, n);
      for (const id of ids) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    } finally {
      charger.terminate();
    }
  });
});

describe('socket limits and keep-alive', () => {
  it('RFC 6455 / CONFORMANCE 15: an oversize frame closes with 1009, invalid UTF-8 with 1007', async () => {
    const h = await startRpc({ maxPayloadBytes: 1024 });
    try {
      const big = await Raw.open(`${h.url}/CP-BIG`);
      big.send([2, 'x', 'DataTransfer', { vendorId: 'v', data: 'x'.repeat(2048) }]);
      assert.equal((await big.closed).code, 1009);
      const bad = await Raw.open(`${h.url}/CP-UTF`);
      bad.socket.send(Buffer.from([0x5b, 0xff, 0xfe, 0x5d]), { binary: false });
      assert.equal((await bad.closed).code, 1007);
    } finally {
      await h.close();
    }
  });

  it('ocpp-rpc maxBadMessages / CONFORMANCE 78: one bad frame past the limit closes with 1002', async () => {
    const h = await startRpc({ maxBadMessages: 2 });
    try {
      const raw = await Raw.open(`${h.url}/CP-NOISY`);
      for (let i = 0; i < 3; i++) raw.send('garbage');
      assert.equal((await raw.closed).code, 1002);
    } finally {
      await h.close();
    }
  });

  it('OCPP-J 1.6 §5.3 / CONFORMANCE 16: the server pings; a peer that stops answering pongs is terminated and reported, a live one stays', async () => {
    const h = await startRpc({ pingIntervalMs: 40 });
    try {
      const disconnected = new Promise<string>((r) => h.rpc.on('disconnect', (c: RpcConnection) => r(c.identity)));
      const live = await Raw.open(`${h.url}/CP-LIVE`);
      const dead = await Raw.open(`${h.url}/CP-DEAD`, ['ocpp1.6'], { autoPong: false });
      assert.equal(await disconnected, 'CP-DEAD');
      assert.equal((await dead.closed).code, 1006);
      assert.equal(h.rpc.get('CP-DEAD'), undefined);
      await sleep(150);
      assert.equal(live.socket.readyState, WebSocket.OPEN);
      assert.ok(Date.now() - h.rpc.get('CP-LIVE')!.lastActivityAt < 100, 'pongs count as activity');
      live.socket.terminate();
    } finally {
      await h.close();
    }
  });
});

describe('handshake (OCPP-J 1.6 §3)', () => {
  let h: Harness;
  before(async () => {
    h = await startRpc();
  });
  after(() => h.close());

  it('OCPP-J 1.6 §3.2 / TC_088 / CONFORMANCE 17: only ocpp0.1 offered is refused before the upgrade', async () => {
    assert.equal(await refusal(`${h.url}/CP-HS`, ['ocpp0.1']), 400);
  });

  it('TC_088 / CONFORMANCE 18–19: ocpp0.1, ocpp1.6 gets exactly Sec-WebSocket-Protocol: ocpp1.6', async () => {
    const raw = await Raw.open(`${h.url}/CP-HS18`, ['ocpp0.1', 'ocpp2.0.1', 'ocpp1.6']);
    assert.equal(raw.upgradeHeaders['sec-websocket-protocol'], 'ocpp1.6');
    raw.socket.terminate();
  });

  it('OCPP.Core#43 / CONFORMANCE 20: no subprotocol offered is served as 1.6 with no header; refused when the default is null', async () => {
    const conn = connected(h.rpc, 'CP-NOSUB');
    const raw = await Raw.open(`${h.url}/CP-NOSUB`, []);
    assert.equal(raw.upgradeHeaders['sec-websocket-protocol'], undefined);
    assert.equal((await conn).protocol, 'ocpp1.6');
    raw.socket.terminate();
    const strict = await startRpc({ defaultProtocol: null });
    try {
      assert.equal(await refusal(`${strict.url}/CP-NOSUB`, []), 400);
    } finally {
      await strict.close();
    }
  });

  it('OCPP-J 1.6 §3.1.1 / CONFORMANCE 22: the identity is percent-decoded; %2F, .., :, empty or > 48 chars are refused', async () => {
    const conn = connected(h.rpc, 'RDAM 123');
    const raw = await Raw.open(`${h.url}/RDAM%20123`);
    assert.equal((await conn).identity, 'RDAM 123');
    raw.socket.terminate();
    // (A bare '..' segment never reaches us: URL parsers resolve it first; see handshake.test.ts.)
    for (const id of ['a%2Fb', 'a..b', 'a:b', 'a%3Ab', 'x'.repeat(49), '%ZZ']) {
      assert.equal(await refusal(`${h.url}/${id}`, ['ocpp1.6']), 400, id);
    }
    assert.equal(await refusal(h.url.replace('/ocpp', '/elsewhere/CP'), ['ocpp1.6']), 404);
  });

  it('Security Whitepaper 2.3: an authentication refusal is that HTTP status, before the upgrade', async () => {
    const options = { headers: { authorization: `Basic ${Buffer.from('CP-AUTH:wrong').toString('base64')}` } };
    assert.equal(await refusal(`${h.url}/CP-AUTH`, ['ocpp1.6'], options), 401);
    assert.equal(h.rpc.get('CP-AUTH'), undefined);
  });

  it('ocpp-go#314 / CONFORMANCE 71: a new connection replaces the old; the old one\'s late close does not remove the new', async () => {
    const disconnects: Array<{ replaced: boolean }> = [];
    h.rpc.on('disconnect', (_c: RpcConnection, info: { replaced: boolean }) => disconnects.push(info));
    const first = connected(h.rpc, 'CP-TWICE');
    const oldRaw = await Raw.open(`${h.url}/CP-TWICE`);
    const oldConn = await first;
    const second = new Promise<RpcConnection>((r) => h.rpc.on('connection', (c: RpcConnection) => c.identity === 'CP-TWICE' && r(c)));
    const newRaw = await Raw.open(`${h.url}/CP-TWICE`);
    const newConn = await second;
    assert.notEqual(newConn, oldConn);
    assert.equal((await oldRaw.closed).code, 4000);
    await sleep(20);
    assert.equal(h.rpc.get('CP-TWICE'), newConn);
    assert.deepEqual(disconnects, [{ code: 4000, reason: 'replaced', replaced: true }]);
    newRaw.send([2, 'hb', 'Heartbeat', {}]);
    assert.equal((await newRaw.next())[0], 3);
    newRaw.socket.terminate();
  });
});
