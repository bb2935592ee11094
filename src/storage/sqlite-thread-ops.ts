// The writes the SQLite thread runs itself, by name, for a group-commit batch sent as data (sqlite-thread.ts):
// the same repository code the event loop would run, without a message to the thread and back per statement.
// Their arguments and results cross threads by structured clone: plain data only. A domain rule a write applies
// (a function, which cannot cross) comes from the rules module the thread was given (ThreadRules).
import type { Kysely, Transaction } from 'kysely';
import type { SessionEventInput, SessionFold, SessionStartInput, SessionStopInput, SettleStopEnergy } from '../domain/ports.js';
import type { BatchBuffers } from './batch-buffers.js';
import type { Database } from './tables.js';
import { insertStarts } from './repositories/transaction-starts.js';
import { applyStops } from './repositories/transaction-stops.js';
import { applySessionEventsInOrder } from './repositories/transaction-events.js';

type Trx = Transaction<Database>;

/** The domain's rules as the thread imports them from its rules module. */
export interface RulesModule {
  settleStopEnergy?: SettleStopEnergy;
  sessionFold?: SessionFold;
}

/** A stop as it crosses: without its energy rule, which the thread takes from its rules module. */
export type ThreadStopInput = Omit<SessionStopInput, 'settleEnergy'>;

/** A session event as it crosses: without its fold and energy rule, which the thread takes from its rules module. */
export type ThreadSessionEventInput = Omit<SessionEventInput, 'fold' | 'settleEnergy'>;

function rule<K extends keyof RulesModule>(rules: RulesModule, name: K): NonNullable<RulesModule[K]> {
  const found = rules[name];
  if (!found) throw new Error(`the SQLite thread was given no ${name} rule`);
  return found;
}

export const THREAD_OPS = {
  insertStarts: (trx: Trx, _buffers: BatchBuffers, args: { inputs: SessionStartInput[]; now: string }) => insertStarts(trx, args.inputs, args.now, 'sqlite'),
  applyStops: (trx: Trx, buffers: BatchBuffers, args: { inputs: ThreadStopInput[]; now: string }, rules: RulesModule) => {
    const settleEnergy = rule(rules, 'settleStopEnergy');
    return applyStops(trx, buffers, args.inputs.map((input) => ({ ...input, settleEnergy })), args.now, 'sqlite');
  },
  applySessionEvents: (trx: Trx, buffers: BatchBuffers, args: { inputs: ThreadSessionEventInput[]; now: string }, rules: RulesModule) => {
    const fold = rule(rules, 'sessionFold');
    const settleEnergy = rule(rules, 'settleStopEnergy');
    return applySessionEventsInOrder(trx, buffers, args.inputs.map((input) => ({ ...input, fold, settleEnergy })), args.now);
  },
} satisfies Record<string, (trx: Trx, buffers: BatchBuffers, args: never, rules: RulesModule) => Promise<unknown[]>>;

export type ThreadOpName = keyof typeof THREAD_OPS;

/** Runs one named write in the thread's transaction (the thread's Kysely stands in for the batch's transaction). */
export function runThreadOp(db: Kysely<Database>, buffers: BatchBuffers, op: ThreadOpName, args: unknown, rules: RulesModule): Promise<unknown[]> {
  return (THREAD_OPS[op] as (trx: Trx, buffers: BatchBuffers, args: unknown, rules: RulesModule) => Promise<unknown[]>)(db as Trx, buffers, args, rules);
}
