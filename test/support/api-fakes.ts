// An in-memory ApiDeps for testing the REST API on its own, on a real Fastify listening on port 0.
// Repositories keep plain arrays and record what the API asked of them, so tests can check pass-through.
import { Writable } from 'node:stream';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import type { ApiDeps } from '../../src/api/deps.js';
import { registerApi } from '../../src/api/plugin.js';
import type {
  ChargePointInput,
  ChargePointRecord,
  IdTagBulkOptions,
  IdTagInput,
  IdTagListQuery,
  IdTagRecord,
  Page,
  PageQuery,
  TransactionDetail,
  TransactionFilter,
  TotalsGroupBy,
  TransactionRecord,
} from '../../src/domain/ports.js';

export const FAKE_API_KEY = 'fake-operator-key-0123456789';
const NOW = '2026-01-02T03:04:05.000Z';

/** Offset pagination with the offset as the cursor: enough to see nextCursor travel. */
function paginate<T>(all: T[], query: PageQuery): Page<T> {
  const start = query.cursor ? Number(query.cursor) : 0;
  const items = all.slice(start, start + query.limit);
  return { items, nextCursor: start + query.limit < all.length ? String(start + query.limit) : null };
}

export function chargePoint(id: string, more: Partial<ChargePointRecord> = {}): ChargePointRecord {
  return {
    id, protocol: 'ocpp1.6', vendor: 'Voltgate', model: 'Sim', serialNumber: null, firmwareVersion: '1.0',
    registrationStatus: 'Accepted', lastSeenAt: NOW, createdAt: NOW, passwordHash: null, protocols: null, soapEndpoint: null, securityProfile: 0, pendingPasswordHash: null, pendingSecurityProfile: null,
    connectors: [{ evseId: null, connectorId: 1, status: 'Available', errorCode: 'NoError', info: null, vendorErrorCode: null, updatedAt: NOW }],
    ...more,
  };
}

export function transaction(id: number, more: Partial<TransactionRecord> = {}): TransactionRecord {
  return {
    id, chargePointId: 'CP-1', connectorId: 1, idTag: 'TAG1', startedAt: NOW, stoppedAt: null,
    meterStartWh: 1000, meterStopWh: null, energyWh: null, stopReason: null, stopIdTag: null,
    status: 'Active', authorizationStatus: 'Accepted', flags: [], evseId: null, chargerTransactionId: id, idTokenType: null,
    ...more,
  };
}

export class FakeDeps implements ApiDeps {
  apiKey = FAKE_API_KEY;
  logger: Logger;
  chargePointRows: ChargePointRecord[] = [];
  idTagRows: IdTagRecord[] = [];
  transactionRows: TransactionDetail[] = [];
  connectedIds = new Set<string>();
  /** Every call the API made, e.g. ['transactions.list', filter, query]. */
  calls: unknown[][] = [];
  readyError: Error | null = null;
  /** Set to make iterate() fail on its first row. */
  iterateError: Error | null = null;

  constructor(logger: Logger = pino({ level: 'silent' })) {
    this.logger = logger;
  }

  // Webhooks, the live feed and connection history have their own integration tests over real storage.
  webhooks = {
    list: async (query: PageQuery) => paginate<never>([], query),
    get: async () => null,
    create: async () => {
      throw new Error('not faked');
    },
    delete: async () => false,
    enable: async () => null,
    deliveries: async (_id: string, query: PageQuery) => paginate<never>([], query),
  };
  events = { after: async () => [], onCommitted: () => () => {} };
  connections = { list: async (_id: string, query: PageQuery) => paginate<never>([], query) };
  securityEvents = { list: async (_id: string, query: PageQuery) => paginate<never>([], query) };

  chargePoints = {
    get: async (id: string) => this.chargePointRows.find((cp) => cp.id === id) ?? null,
    list: async (query: PageQuery) => paginate(this.chargePointRows, query),
    put: async (input: ChargePointInput) => {
      this.calls.push(['chargePoints.put', input]);
      const existing = this.chargePointRows.find((cp) => cp.id === input.id);
      const { id, ...changes } = input;
      const saved = { ...(existing ?? chargePoint(id, { vendor: null, model: null, connectors: [], lastSeenAt: null, protocol: null })), ...changes };
      this.chargePointRows = [...this.chargePointRows.filter((cp) => cp.id !== id), saved];
      return saved;
    },
    delete: async (id: string) => {
      const before = this.chargePointRows.length;
      this.chargePointRows = this.chargePointRows.filter((cp) => cp.id !== id);
      return this.chargePointRows.length < before;
    },
    recordBoot: async () => {},
    register: async () => {},
    recordStatus: async () => {},
    markSeen: async () => {},
  };

  idTags = {
    get: async (idTag: string) => this.idTagRows.find((t) => t.idTag.toUpperCase() === idTag.toUpperCase()) ?? null,
    list: async (query: IdTagListQuery) => {
      this.calls.push(['idTags.list', query]);
      const matches = (t: IdTagRecord) =>
        (!query.status || t.status === query.status) &&
        (!query.parentIdTag || t.parentIdTag?.toUpperCase() === query.parentIdTag.toUpperCase()) &&
        (!query.q || t.idTag.toUpperCase().startsWith(query.q.toUpperCase()));
      return paginate(this.idTagRows.filter(matches), query);
    },
    putMany: async (inputs: IdTagInput[], options: IdTagBulkOptions = {}) => {
      this.calls.push(['idTags.putMany', inputs, options]);
      let updated = 0;
      for (const input of inputs) {
        const before = this.idTagRows.find((t) => t.idTag.toUpperCase() === input.idTag.toUpperCase());
        if (before) updated++;
        const kept = Object.fromEntries((options.keep ?? []).map((field) => [field, before ? before[field] : null]));
        const saved = { ...input, ...kept, createdAt: NOW, updatedAt: NOW };
        this.idTagRows = [...this.idTagRows.filter((t) => t !== before), saved];
      }
      return { created: inputs.length - updated, updated };
    },
    put: async (input: IdTagInput) => {
      this.calls.push(['idTags.put', input]);
      const saved = { ...input, createdAt: NOW, updatedAt: NOW };
      this.idTagRows = [...this.idTagRows.filter((t) => t.idTag.toUpperCase() !== input.idTag.toUpperCase()), saved];
      return saved;
    },
    delete: async (idTag: string) => {
      const before = this.idTagRows.length;
      this.idTagRows = this.idTagRows.filter((t) => t.idTag.toUpperCase() !== idTag.toUpperCase());
      return this.idTagRows.length < before;
    },
  };

  transactions = {
    get: async (id: number) => this.transactionRows.find((t) => t.id === id) ?? null,
    list: async (filter: TransactionFilter, query: PageQuery) => {
      this.calls.push(['transactions.list', filter, query]);
      return paginate<TransactionRecord>(this.transactionRows, query);
    },
    iterate: (filter: TransactionFilter): AsyncIterable<TransactionRecord> => {
      this.calls.push(['transactions.iterate', filter]);
      const rows = this.transactionRows;
      const error = this.iterateError;
      return (async function* () {
        if (error) throw error;
        yield* rows;
      })();
    },
    totals: async (groupBy: TotalsGroupBy, filter: TransactionFilter, page: PageQuery) => {
      this.calls.push(['transactions.totals', groupBy, filter, page]);
      return { items: [], nextCursor: null };
    },
  };

  remoteStarts = {
    start: async () => ({ status: 'Accepted' as const, startRequestId: 'fake' }),
    get: async () => null,
  };

  decisions = {
    list: async () => ({ items: [], nextCursor: null }),
  };

  messages = {
    list: async () => ({ items: [], nextCursor: null }),
  };

  credentialChanges = {
    changePassword: async () => ({ status: 'Accepted', adopted: true, pending: false }),
    raiseSecurityProfile: async () => ({ status: 'Accepted', accepted: true, restart: null, pendingSecurityProfile: 2 as const }),
  };

  tls = { served: false, clientCertificates: false };

  chargerCertificates = { list: async () => ({ items: [], nextCursor: null }) };

  commands = {
    send: async (id: string, action: string, payload: unknown) => {
      this.calls.push(['commands.send', id, action, payload]);
      return {};
    },
    history: async () => ({ items: [], nextCursor: null }),
  };

  gateway = {
    isConnected: (id: string) => this.connectedIds.has(id),
    protocolOf: () => 'ocpp1.6',
    send: async () => ({}) as never,
  };

  localLists = {
    push: async (id: string, updateType: 'Full' | 'Differential') => {
      this.calls.push(['localLists.push', id, updateType]);
      return { status: 'Accepted' as const, listVersion: 1, updateType, entries: 0, omitted: 0, messages: 1 };
    },
    readVersion: async () => 1,
    clearCache: async () => 'Accepted' as const,
  };

  ready = async () => {
    if (this.readyError) throw this.readyError;
  };
}

/** Everything a test logger wrote, as one string (to check what never reaches a log). */
export function captureLogger(): { logger: Logger; text: () => string } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: pino({ level: 'trace' }, sink), text: () => lines.join('') };
}

export interface ApiHarness {
  app: FastifyInstance;
  deps: FakeDeps;
  baseUrl: string;
  /** fetch() with the operator key unless the test sets its own Authorization header. */
  api(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/** A real Fastify with only the API plugin, listening on a free port. */
export async function startApi(deps = new FakeDeps()): Promise<ApiHarness> {
  const app = Fastify({ loggerInstance: deps.logger as FastifyBaseLogger });
  await registerApi(app, deps);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    app,
    deps,
    baseUrl,
    api(path, init = {}) {
      const headers = new Headers(init.headers);
      if (!headers.has('authorization')) headers.set('authorization', `Bearer ${FAKE_API_KEY}`);
      if (typeof init.body === 'string' && !headers.has('content-type')) headers.set('content-type', 'application/json');
      return fetch(`${baseUrl}${path}`, { ...init, headers });
    },
    close: () => app.close(),
  };
}
