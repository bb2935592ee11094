// A batch's session events planned as part of its one statement (PostgreSQL), the way 1.6 starts and stops are:
// one read (the sessions the events name that this process does not remember, and which of the events are
// stored already), the domain's fold applied here, then the new sessions, the events and the changed sessions as
// CTEs of the batch's statement, with no BEGIN or COMMIT. One or two round trips per batch, where the
// transaction took seven.
//
// The database still decides what is kept: an event is inserted once (unique session and seqNo), a
// session is made once (unique charger, transaction), and a session's changes, samples and outbox events are
// written only if its event was inserted by this statement. The plan covers the common batch: at most one event
// per session, and energy that the meters settle. Anything else (null) runs in the batch's transaction instead.
import { sql, type Kysely, type Selectable } from 'kysely';
import type { SessionEventInput, SessionEventResult, SessionState, TransactionRecord } from '../../domain/ports.js';
import type { Database, TransactionsTable } from '../tables.js';
import type { BatchBuffers } from '../unit-of-work.js';
import { changedColumns, columnsFromSamples, eventRow, SESSION_COLUMNS, stateOf, updateSessionsStatement } from './transaction-events.js';
import { toTransaction } from './transaction-rows.js';
import { bufferMeterValues, WriteRaced, type WritePlan } from './transaction-writes.js';
import { SessionCache } from '../session-cache.js';

type Db = Kysely<Database>;
type Row = Selectable<TransactionsTable>;
type Stored = Row & { seen: boolean };

export async function planSessionEvents(
  db: Db,
  buffers: BatchBuffers,
  inputs: SessionEventInput[],
  cache: SessionCache,
  takeIds: (count: number) => Promise<number[]>,
  now: string,
  cte: string,
): Promise<WritePlan<SessionEventResult> | null> {
  const keys = inputs.map((input) => SessionCache.key(input.chargePointId, input.chargerTransactionId));
  // Two events of one session in one batch come from a charger that did not wait for an answer: rare, and the
  // second must see the first applied, which the transaction does.
  if (new Set(keys).size !== keys.length) return null;
  const remembered = keys.map((key) => cache.get(key));
  const misses = inputs.filter((_, i) => !remembered[i]);
  const stored = misses.length > 0 ? await readSessions(db, misses) : new Map<string, Stored>();
  const ids = await takeIds(inputs.filter((_, i) => !remembered[i] && !stored.has(keys[i])).length);
  const made: Row[] = [];
  const changed: Changed[] = [];
  const events: PlannedEvent[] = [];
  const predicted: WritePlan<SessionEventResult>['predicted'] = [];
  /** Each input's row as stored once its write applies, for the cache. */
  const after: Row[] = [];
  for (const [i, input] of inputs.entries()) {
    const read = stored.get(keys[i]);
    if (read?.seen) {
      const row = withoutSeen(read);
      predicted.push({ result: { transaction: toTransaction(row), duplicate: true, created: false, ended: false }, guardId: null });
      after.push(row);
      continue;
    }
    const before = remembered[i] ?? (read && withoutSeen(read));
    let row: Row;
    if (before) {
      // The stored samples are not read here: a batch that needs them (columnsFromSamples) runs in a transaction instead.
      const columns = columnsFromSamples(input.fold.apply(stateOfRow(before), input.event), input, null, before.stop_received_at ?? now);
      if (columns === 'needs-samples') return null;
      const differ = changedColumns(before, columns);
      // Most events only bring readings: the session stays the same object, and so do its state and record.
      row = differ.length > 0 ? { ...before, ...columns, revision: before.revision + 1 } : before;
      if (differ.length > 0) changed.push({ row, columns: differ, revision: before.revision });
    } else {
      // A session this event opens has no stored samples: its own are all of them.
      const columns = columnsFromSamples(input.fold.open(input.event), input, input.event.samples, now);
      if (columns === 'needs-samples') return null;
      const id = ids.shift()!;
      row = {
        ...columns,
        id,
        charge_point_id: input.chargePointId,
        charger_transaction_id: input.chargerTransactionId,
        reservation_id: null,
        transaction_data: null,
        created_at: now,
        revision: 0,
      };
      made.push(row);
    }
    // The request goes as JSON inside the statement's JSON, not as a string escaped into it.
    const event: PlannedEvent = Object.assign(eventRow(input, row.id, now, (payload) => payload), { fresh: !before, revision: before?.revision ?? 0 });
    events.push(event);
    if (input.event.samples.length > 0) {
      bufferMeterValues(buffers, { chargePointId: input.chargePointId, connectorId: row.connector_id, transactionId: row.id, samples: input.event.samples }, now, { cte, id: row.id });
    }
    const ended = (before === undefined || before.stopped_at === null) && row.stopped_at !== null;
    predicted.push({ result: { transaction: recordOfRow(row), duplicate: false, created: !before, ended }, guardId: row.id });
    after.push(row);
  }
  const steps = [];
  if (made.length > 0) steps.push({ suffix: 'made', cte: insertSessions(made) });
  if (events.length > 0) steps.push({ suffix: 'kept', cte: insertEvents(events, made.length > 0 ? `${cte}_made` : null) });
  // A session changes only when this statement kept its event, and only from the revision its change was folded on.
  for (const [k, group] of byChangedColumns(changed).entries()) {
    steps.push({ suffix: `changed_${k}`, cte: updateSessionsStatement(group.rows, sql`t.id in (select id from ${sql.table(`${cte}_kept`)}) and t.revision = r.revision`, group.columns, group.revisions) });
  }
  return {
    before: steps,
    cte: events.length > 0 ? sql`select id from ${sql.table(`${cte}_kept`)}` : sql`select null::integer as id where false`,
    predicted,
    finish: (applied) =>
      Promise.all(
        predicted.map(({ result, guardId }, i) => {
          if (guardId === null || applied.has(guardId)) {
            if (after[i] !== remembered[i]) cache.remember(keys[i], after[i]);
            return result;
          }
          cache.forget(keys[i]);
          return storedElsewhere(db, inputs[i]);
        }),
      ),
  };
}

// A remembered session's state and record, made once per stored row (rows are never changed in place).
const states = new WeakMap<Row, SessionState>();
const records = new WeakMap<Row, TransactionRecord>();

function stateOfRow(row: Row): SessionState {
  let state = states.get(row);
  if (!state) states.set(row, (state = stateOf(row)));
  return state;
}

function recordOfRow(row: Row): TransactionRecord {
  let record = records.get(row);
  if (!record) records.set(row, (record = toTransaction(row)));
  return record;
}

function withoutSeen({ seen: _, ...row }: Stored): Row {
  return row;
}

/** Each named session with whether this batch's event of it is stored already, in one read. */
async function readSessions(db: Db, inputs: SessionEventInput[]): Promise<Map<string, Stored>> {
  const wanted = JSON.stringify(inputs.map((input) => ({ cp: input.chargePointId, tx: input.chargerTransactionId, seq: input.seqNo })));
  const { rows } = await sql<Stored>`select t.*, exists (select 1 from transaction_events e where e.transaction_id = t.id and e.seq_no = r.seq) as seen
      from json_to_recordset(${wanted}::json) as r(cp text, tx text, seq integer)
      -- lateral with a limit (never flattened into a join): a lookup by the unique index per event, however few rows the planner believes the table holds
      cross join lateral (select * from transactions t where t.charge_point_id = r.cp and t.charger_transaction_id = r.tx and t.charger_transaction_id is not null limit 1) t`.execute(db);
  return new Map(rows.map((row) => [SessionCache.key(row.charge_point_id, row.charger_transaction_id!), row]));
}

const MADE_COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ['id', 'integer'], ['charge_point_id', 'text'], ['charger_transaction_id', 'text'], ['created_at', 'text'], ...SESSION_COLUMNS,
];

/** New sessions with their ids drawn ahead; one another writer made meanwhile is left alone (its event is then not kept). */
function insertSessions(rows: Row[]) {
  const names = sql.raw(MADE_COLUMNS.map(([name]) => `"${name}"`).join(', '));
  const definitions = sql.raw(MADE_COLUMNS.map(([name, type]) => `"${name}" ${type}`).join(', '));
  const data = JSON.stringify(rows.map((row) => Object.fromEntries(MADE_COLUMNS.map(([name]) => [name, row[name as keyof Row]]))));
  return sql`insert into transactions (${names}) select ${names} from json_to_recordset(${data}::json) as r(${definitions})
    on conflict (charge_point_id, charger_transaction_id) where charger_transaction_id is not null do nothing
    returning id`;
}

/** A session this batch changes: its new row, the columns that changed, and the revision they were folded on. */
interface Changed {
  row: Row;
  columns: typeof SESSION_COLUMNS;
  revision: number;
}

/**
 * The changed sessions by the columns that changed: an event usually changes a few (an Updated event its last
 * reading), so each UPDATE sends those, not every column of every session. Each row carries the revision its
 * change was folded on: the UPDATE applies only while it is still the stored one.
 */
function byChangedColumns(changed: Changed[]) {
  const groups = new Map<string, { columns: typeof SESSION_COLUMNS; rows: Row[]; revisions: number[] }>();
  for (const { row, columns, revision } of changed) {
    const signature = columns.map(([name]) => name).join();
    const group = groups.get(signature);
    if (group) {
      group.rows.push(row);
      group.revisions.push(revision);
    } else groups.set(signature, { columns, rows: [row], revisions: [revision] });
  }
  return [...groups.values()];
}

/** `revision`: of the session the event was folded on; the event is kept only while the stored row still has it. */
type PlannedEvent = ReturnType<typeof eventRow<unknown>> & { fresh: boolean; revision: number };

const EVENT_COLUMNS: ReadonlyArray<readonly [keyof ReturnType<typeof eventRow>, string]> = [
  ['charge_point_id', 'text'], ['charger_transaction_id', 'text'], ['seq_no', 'integer'], ['transaction_id', 'integer'], ['event_type', 'text'],
  ['timestamp', 'text'], ['trigger_reason', 'text'], ['offline', 'integer'], ['payload', 'text'], ['received_at', 'text'],
];

/** Every event once; one of a session made here only if that session was (`made` names the CTE that made them). */
function insertEvents(rows: PlannedEvent[], made: string | null) {
  const names = sql.raw(EVENT_COLUMNS.map(([name]) => `"${name}"`).join(', '));
  const values = sql.raw(EVENT_COLUMNS.map(([name]) => (name === 'payload' ? 'r.payload::text' : `r."${name}"`)).join(', '));
  const definitions = sql.raw([...EVENT_COLUMNS, ['fresh', 'boolean'], ['revision', 'integer']].map(([name, type]) => `"${name}" ${name === 'payload' ? 'json' : type}`).join(', '));
  const ofMadeSession = made === null ? sql`false` : sql`r.transaction_id in (select id from ${sql.table(made)})`;
  return sql`insert into transaction_events (${names}) select ${values} from json_to_recordset(${JSON.stringify(rows)}::json) as r(${definitions})
    where case when r.fresh then ${ofMadeSession} else (select t.revision from transactions t where t.id = r.transaction_id) = r.revision end
    on conflict (transaction_id, seq_no) do nothing
    returning transaction_id as id`;
}

/** An event this statement did not keep: kept by an earlier send (a duplicate), or overtaken before it could be. */
async function storedElsewhere(db: Db, input: SessionEventInput): Promise<SessionEventResult | WriteRaced> {
  const stored = (await readSessions(db, [input])).get(SessionCache.key(input.chargePointId, input.chargerTransactionId));
  if (!stored?.seen) return new WriteRaced(`event ${input.seqNo} of session ${input.chargerTransactionId}`);
  return { transaction: toTransaction(withoutSeen(stored)), duplicate: true, created: false, ended: false };
}
