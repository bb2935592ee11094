// What one group-commit batch writes in bulk: the rows buffered by its writes (meter values, decisions, outbox
// events, connects and disconnects, new chargers, boots), and on PostgreSQL the single statement that carries
// them with the batch's planned session writes.
import { sql, type Insertable, type Kysely, type RawBuilder } from 'kysely';
import type { AuthorizationDecisionsTable, ChargePointsTable, ConnectionHistoryTable, Database, EventsTable, MeterValuesTable } from './tables.js';

export type MeterValueRow = Insertable<MeterValuesTable>;
export type DecisionRow = Insertable<AuthorizationDecisionsTable>;
export type EventRow = Insertable<EventsTable>;
export type ConnectionRow = Insertable<ConnectionHistoryTable>;
/** What a BootNotification writes of its charger: inserted, or over the row's boot columns. */
export type BootRow = Pick<ChargePointsTable, 'id' | 'protocol' | 'vendor' | 'model' | 'serial_number' | 'firmware_version' | 'registration_status' | 'booted_at' | 'last_seen_at' | 'updated_at' | 'created_at'>;

/** A charger registered at its first connection (inserted unless its row exists). */
export type RegistrationRow = Pick<ChargePointsTable, 'id' | 'registration_status' | 'created_at' | 'updated_at'>;

/** The boot columns an existing charger's row takes from a BootRow (its created_at stays). */
export const BOOT_UPDATES = ['protocol', 'vendor', 'model', 'serial_number', 'firmware_version', 'registration_status', 'booted_at', 'last_seen_at', 'updated_at'] as const;

/**
 * A buffered row that belongs to a planned session write (an event of a stop, a sample of its transactionData):
 * written only if that write applied, decided inside the batch's one statement (see GroupCommit.commitPlanned).
 */
export interface Guard {
  /** The name GroupCommit gave the planned write's CTE. */
  cte: string;
  /** The id the CTE returns when the write applied. */
  id: number;
}

/** A batch's buffered rows as plain data, to cross to the SQLite thread. */
export interface BufferedRows {
  meterValues: MeterValueRow[];
  decisions: DecisionRow[];
  events: EventRow[];
  connections: ConnectionRow[];
  registrations: RegistrationRow[];
  boots: BootRow[];
}

/** Rows that one batch inserts in bulk just before it commits, instead of a statement per message. */
export class BatchBuffers {
  readonly meterValues: MeterValueRow[] = [];
  readonly decisions: DecisionRow[] = [];
  /** Outbox rows: they commit with the writes they describe. */
  readonly events: EventRow[] = [];
  /** Connects and disconnects: a reconnect storm's thousands go as one insert, not a statement each. */
  readonly connections: ConnectionRow[] = [];
  /** New chargers admitted by the unknown-charger policy, by id. */
  readonly registrations = new Map<string, RegistrationRow>();
  /** Boots by charger (a charger booting twice in one batch: its last boot). */
  readonly boots = new Map<string, BootRow>();
  private readonly guards = new Map<object, Guard>();

  constructor(private readonly dialect: 'sqlite' | 'postgres') {}

  /** Marks a row just pushed as written only if its planned write applies. */
  guard(row: object, guard: Guard): void {
    this.guards.set(row, guard);
  }

  /**
   * The last-seen time each disconnect of the batch gives its charger (its latest, if several), written with the
   * history rows instead of a statement per disconnect. A charger that boots or registers in the same batch is left
   * to its boot row, which is later: on PostgreSQL two parts of one statement may not change one row.
   */
  lastSeenOfDisconnects(): Map<string, string> {
    const seen = new Map<string, string>();
    for (const row of this.connections) {
      if (row.kind !== 'disconnected' || this.boots.has(row.charge_point_id) || this.registrations.has(row.charge_point_id)) continue;
      const before = seen.get(row.charge_point_id);
      if (before === undefined || before < row.at) seen.set(row.charge_point_id, row.at);
    }
    return seen;
  }

  /** Every row as plain data (SQLite only: guards are PostgreSQL's). */
  rows(): BufferedRows {
    return {
      meterValues: this.meterValues,
      decisions: this.decisions,
      events: this.events,
      connections: this.connections,
      registrations: [...this.registrations.values()],
      boots: [...this.boots.values()],
    };
  }

  /** Rows buffered elsewhere (another thread), after these; a later boot of the same charger wins, as with set(). */
  add(rows: BufferedRows): void {
    // A loop, not push(...rows): a storm's batch may hold more rows than a call takes arguments.
    for (const row of rows.meterValues) this.meterValues.push(row);
    for (const row of rows.decisions) this.decisions.push(row);
    for (const row of rows.events) this.events.push(row);
    for (const row of rows.connections) this.connections.push(row);
    for (const row of rows.registrations) this.registrations.set(row.id, row);
    for (const row of rows.boots) this.boots.set(row.id, row);
  }

  /** Outside a transaction: one statement when it fits in one, else a transaction of its own. */
  async flushAtomically(db: Kysely<Database>): Promise<void> {
    // PostgreSQL: always one statement (below). SQLite: one table of at most 500 rows.
    const kinds = [this.events.length, this.decisions.length, this.meterValues.length, this.connections.length, this.boots.size, this.registrations.size].filter((rows) => rows > 0);
    const oneStatement = this.dialect === 'postgres' || (kinds.length <= 1 && (kinds[0] ?? 0) <= 500);
    if (oneStatement) return this.flush(db);
    await db.transaction().execute((trx) => this.flush(trx));
  }

  async flush(trx: Kysely<Database>): Promise<void> {
    if (this.dialect === 'postgres') {
      await oneStatement([], this).execute(trx);
      return;
    }
    // SQLite: 500 rows of at most 12 columns stay far below its parameter limit.
    for (const [table, rows] of [['events', this.events], ['authorization_decisions', this.decisions], ['meter_values', this.meterValues], ['connection_history', this.connections]] as const) {
      for (let i = 0; i < rows.length; i += 500) await trx.insertInto(table).values(rows.slice(i, i + 500) as never).execute();
    }
    for (const [id, at] of this.lastSeenOfDisconnects()) await trx.updateTable('charge_points').set({ last_seen_at: at }).where('id', '=', id).execute();
    const registrations = [...this.registrations.values()];
    for (let i = 0; i < registrations.length; i += 500) {
      await trx.insertInto('charge_points').values(registrations.slice(i, i + 500)).onConflict((oc) => oc.column('id').doNothing()).execute();
    }
    const boots = [...this.boots.values()];
    for (let i = 0; i < boots.length; i += 500) {
      await trx
        .insertInto('charge_points')
        .values(boots.slice(i, i + 500))
        .onConflict((oc) => oc.column('id').doUpdateSet((eb) => Object.fromEntries(BOOT_UPDATES.map((column) => [column, eb.ref(`excluded.${column}`)]))))
        .execute();
    }
  }

  /**
   * PostgreSQL: one INSERT per table, its rows sent as ONE JSON parameter and read back by json_to_recordset():
   * JSON.stringify is native and the statement text is the same for every batch, where an array per column
   * or a VALUES list costs the process more than the database does. Guarded rows are kept only when the
   * planned write they belong to applied.
   */
  insertsAsJson(): RawBuilder<unknown>[] {
    const inserts: RawBuilder<unknown>[] = [];
    if (this.registrations.size > 0) {
      inserts.push(sql`insert into charge_points (id, registration_status, created_at, updated_at)
        select id, registration_status, created_at, updated_at
        from json_to_recordset(${JSON.stringify([...this.registrations.values()])}::json) as r(id text, registration_status text, created_at text, updated_at text)
        on conflict (id) do nothing`);
    }
    if (this.boots.size > 0) {
      const { names, definitions } = RECORDSETS.charge_points;
      inserts.push(sql`insert into charge_points (${names}) select ${names} from json_to_recordset(${JSON.stringify([...this.boots.values()])}::json) as r(${definitions})
        on conflict (id) do update set ${sql.raw(BOOT_UPDATES.map((column) => `"${column}" = excluded."${column}"`).join(', '))}`);
    }
    const seen = this.lastSeenOfDisconnects();
    if (seen.size > 0) {
      inserts.push(sql`update charge_points c set last_seen_at = r.at
        from json_to_recordset(${JSON.stringify([...seen].map(([id, at]) => ({ id, at })))}::json) as r(id text, at text)
        where c.id = r.id`);
    }
    for (const { table, rows } of [
      { table: 'events', rows: this.events },
      { table: 'authorization_decisions', rows: this.decisions },
      { table: 'meter_values', rows: this.meterValues },
      { table: 'connection_history', rows: this.connections },
    ] as const) {
      if (rows.length === 0) continue;
      const { names, definitions } = RECORDSETS[table];
      const guards = rows.map((row) => this.guards.get(row));
      const ctes = [...new Set(guards.flatMap((g) => (g ? [g.cte] : [])))];
      if (ctes.length === 0) {
        inserts.push(sql`insert into ${sql.raw(table)} (${names}) select ${names} from json_to_recordset(${JSON.stringify(rows)}::json) as r(${definitions})`);
        continue;
      }
      // The rows are this batch's own, written once: marking them in place spares a copy of each.
      rows.forEach((row, i) => {
        const guard = guards[i];
        if (guard) Object.assign(row, { guard_cte: guard.cte, guard_id: guard.id });
      });
      inserts.push(sql`insert into ${sql.raw(table)} (${names}) select ${names}
        from json_to_recordset(${JSON.stringify(rows)}::json) as r(${definitions}, guard_cte text, guard_id bigint)
        where r.guard_cte is null
          ${sql.join(ctes.map((cte) => sql`or (r.guard_cte = ${cte} and r.guard_id in (select id from ${sql.table(cte)}))`), sql` `)}`);
    }
    return inserts;
  }
}

/** Each buffered table's columns and their PostgreSQL types (a missing one is inserted as null, on both engines). */
export const BUFFERED_COLUMNS = {
  events: { id: 'text', event: 'text', occurred_at: 'text', data: 'text', dispatched: 'integer' },
  authorization_decisions: {
    charge_point_id: 'text', connector_id: 'integer', id_tag: 'text', id_tag_key: 'text', reason: 'text',
    status: 'text', source: 'text', detail: 'text', decided_at: 'text', id_token_type: 'text',
  },
  meter_values: {
    transaction_id: 'bigint', charge_point_id: 'text', connector_id: 'integer', timestamp: 'text', measurand: 'text',
    value: 'text', unit: 'text', phase: 'text', context: 'text', location: 'text', format: 'text', received_at: 'text',
  },
  connection_history: { charge_point_id: 'text', kind: 'text', at: 'text', protocol: 'text', code: 'integer', reason: 'text' },
  charge_points: {
    id: 'text', protocol: 'text', vendor: 'text', model: 'text', serial_number: 'text', firmware_version: 'text', registration_status: 'text',
    booted_at: 'text', last_seen_at: 'text', updated_at: 'text', created_at: 'text',
  },
} as const;

/** The same, as json_to_recordset() reads its rows. */
const RECORDSETS = Object.fromEntries(
  Object.entries(BUFFERED_COLUMNS).map(([table, columns]) => [
    table,
    {
      names: sql.raw(Object.keys(columns).map((name) => `"${name}"`).join(', ')),
      definitions: sql.raw(Object.entries(columns).map(([name, type]) => `"${name}" ${type}`).join(', ')),
    },
  ]),
) as Record<'events' | 'authorization_decisions' | 'meter_values' | 'connection_history' | 'charge_points', { names: RawBuilder<unknown>; definitions: RawBuilder<unknown> }>;

/**
 * PostgreSQL: a whole batch as ONE statement: the planned session writes and every buffered row, each a
 * data-modifying CTE. A single statement is atomic without BEGIN and COMMIT, and it is one round trip; its text
 * stays short whatever the batch size (a JSON parameter per table, not a VALUES list of thousands of parameters). It returns the
 * ids each planned write applied to.
 */
export function oneStatement(
  planned: Array<{ name: string; cte: RawBuilder<unknown>; before?: Array<{ suffix: string; cte: RawBuilder<unknown> }> }>,
  buffers: BatchBuffers,
): RawBuilder<{ cte: string; id: number }> {
  const ctes = [
    ...planned.flatMap(({ name, cte, before = [] }) => [
      ...before.map((step) => sql`${sql.table(`${name}_${step.suffix}`)} as (${step.cte})`),
      sql`${sql.table(name)} as (${cte})`,
    ]),
    ...buffers.insertsAsJson().map((insert, i) => sql`${sql.raw(`w${i}`)} as (${insert})`),
  ];
  const applied = planned.length === 0 ? sql`select null::text as cte, null::bigint as id where false` : sql.join(planned.map(({ name }) => sql`select ${name}::text as cte, id from ${sql.table(name)}`), sql` union all `);
  if (ctes.length === 0) return sql<{ cte: string; id: number }>`select null::text as cte, null::bigint as id where false`;
  return sql<{ cte: string; id: number }>`with ${sql.join(ctes, sql`, `)} ${applied}`;
}
