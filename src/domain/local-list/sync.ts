// Pushing the whitelist to a charger's Local Authorization List (OCPP 1.6 §3.5.2, §5.15; CONFORMANCE 45–50):
// limits read once with GetConfiguration, a Differential only when the charger's version is the one it last
// acknowledged, a Full otherwise or as the one fallback, chunks within SendLocalListMaxLength, and the new
// version and the entries stored only once the charger answered Accepted. One push at a time per charger.
import { ChargerCallError, ChargerFeatureNotSupportedError, ChargerNotConnectedError } from '../commands/errors.js';
import type { ChargerGateway, Clock, LocalListEntry, LocalListRepository, LocalListState, Log } from '../ports.js';
import {
  capToCapacity,
  diffLocalList,
  isEmptyDiff,
  planDifferential,
  planFull,
  type LocalListLimits,
  type LocalListMessage,
} from './diff.js';

export type LocalListUpdateType = 'Full' | 'Differential';
export type ListPushStatus = 'Accepted' | 'Failed' | 'NotSupported' | 'VersionMismatch';
export type CacheClearStatus = 'Accepted' | 'Rejected';

export interface PushResult {
  /** The charger's answer to the last SendLocalList sent ('Accepted' when nothing needed sending). */
  status: ListPushStatus;
  /** The version the charger acknowledged last: the new one when Accepted. */
  listVersion: number;
  /** What was sent first: Full when a Differential was not possible or fell back. */
  updateType: LocalListUpdateType;
  /** Entries (adds and updates with idTagInfo, removals without) carried by the update that was answered. */
  entries: number;
  /** Whitelist entries beyond the charger's LocalAuthListMaxLength, left out of its list. */
  omitted: number;
  /** SendLocalList messages sent, fallback included. */
  messages: number;
}

export interface LocalListSyncDeps {
  gateway: ChargerGateway;
  lists: LocalListRepository;
  /** The whole whitelist, each entry with its idTagInfo as decided at `now`. */
  whitelist(now: Date): LocalListEntry[];
  clock: Clock;
  log: Log;
}

/** CALLERROR codes by which a charger without local list support refuses the update itself. */
const UNSUPPORTED_CODES = new Set(['NotSupported', 'NotImplemented']);

export class LocalListSync {
  /** The tail of each charger's queue of pushes, so version numbers never race. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(private readonly deps: LocalListSyncDeps) {}

  async state(chargePointId: string): Promise<LocalListState> {
    return (
      (await this.deps.lists.get(chargePointId)) ?? {
        chargePointId,
        listVersion: 0,
        notSupported: false,
        sendLocalListMaxLength: null,
        localAuthListMaxLength: null,
        limitsReadAt: null,
        updatedAt: this.deps.clock.now().toISOString(),
      }
    );
  }

  /** Whether the entries the charger acknowledged differ from what it should hold now (checked locally, no call). */
  async isBehind(chargePointId: string): Promise<boolean> {
    const state = await this.state(chargePointId);
    if (state.notSupported) return false;
    const { included } = capToCapacity(this.deps.whitelist(this.deps.clock.now()), state);
    return !isEmptyDiff(diffLocalList(await this.deps.lists.entries(chargePointId), included));
  }

  /**
   * Sends the whitelist. `onlyIfChanged`: a Differential with nothing to change sends nothing (the automatic
   * sync); the API sends it all the same, so its answer is always the charger's.
   */
  push(chargePointId: string, updateType: LocalListUpdateType, options: { onlyIfChanged?: boolean } = {}): Promise<PushResult> {
    return this.exclusive(chargePointId, () => this.pushNow(chargePointId, updateType, options.onlyIfChanged ?? false));
  }

  /** The charger's own idea of its list version (0 empty, -1 local list disabled). */
  async readVersion(chargePointId: string): Promise<number> {
    return (await this.deps.gateway.send(chargePointId, { kind: 'readListVersion' })).version;
  }

  /** The charger drops its authorization cache (OCPP 1.6 §5.4). */
  async clearCache(chargePointId: string): Promise<CacheClearStatus> {
    return (await this.deps.gateway.send(chargePointId, { kind: 'clearCache' })).accepted ? 'Accepted' : 'Rejected';
  }

  private async pushNow(chargePointId: string, requested: LocalListUpdateType, onlyIfChanged: boolean): Promise<PushResult> {
    const { lists, log } = this.deps;
    const state = await this.state(chargePointId);
    if (state.notSupported) {
      throw new ChargerFeatureNotSupportedError(
        chargePointId,
        'a local authorization list',
        `charge point '${chargePointId}' does not support a local authorization list (it answered SendLocalList with NotSupported)`,
      );
    }
    if (!this.deps.gateway.isConnected(chargePointId)) throw new ChargerNotConnectedError(chargePointId);
    const limits = await this.limits(chargePointId, state);
    const { included, omitted } = capToCapacity(this.deps.whitelist(this.deps.clock.now()), limits);
    if (omitted.length > 0) {
      log.warn(
        { chargePointId, omitted: omitted.length, localAuthListMaxLength: limits.localAuthListMaxLength },
        'whitelist exceeds the charger\'s LocalAuthListMaxLength: entries left out of its local list',
      );
    }
    const result = (status: ListPushStatus, listVersion: number, updateType: LocalListUpdateType, sent: Sent): PushResult => ({
      status,
      listVersion,
      updateType,
      entries: sent.entries,
      omitted: omitted.length + sent.skipped,
      messages: sent.messages,
    });

    let acknowledged = state.listVersion;
    let known = acknowledged;
    let messages = 0;
    if (requested === 'Differential') {
      // D01/D02: a Differential is only meaningful on top of the version we believe the charger holds.
      const reported = await this.readVersion(chargePointId);
      known = Math.max(known, reported);
      if (reported === acknowledged) {
        const diff = diffLocalList(await lists.entries(chargePointId), included);
        if (onlyIfChanged && isEmptyDiff(diff)) return result('Accepted', acknowledged, 'Differential', { entries: 0, messages: 0, skipped: 0 });
        const sent = await this.send(chargePointId, planDifferential(diff, limits), acknowledged);
        acknowledged = sent.acknowledged ?? acknowledged;
        if (sent.status === 'Accepted' || sent.status === 'NotSupported') return result(sent.status, acknowledged, 'Differential', sent);
        // OCPP 1.6 §5.15 / CONFORMANCE 48: VersionMismatch or Failed → the whole list, once.
        log.warn({ chargePointId, status: sent.status, listVersion: acknowledged }, 'Differential local list update refused: sending a Full update');
        known = Math.max(known, acknowledged);
        messages = sent.messages;
      } else {
        log.info({ chargePointId, reported, acknowledged }, 'charger reports another local list version: sending a Full update');
      }
    }
    const sent = await this.send(chargePointId, planFull(included, limits), known);
    if (sent.status !== 'Accepted' && sent.status !== 'NotSupported') {
      log.warn({ chargePointId, status: sent.status }, 'Full local list update refused by the charger');
    }
    return result(sent.status, sent.acknowledged ?? acknowledged, 'Full', {
      entries: sent.entries,
      messages: messages + sent.messages,
      skipped: sent.skipped,
    });
  }

  /**
   * Sends the messages in order, each with the next version; stores each one the charger accepts, and stops at
   * the first it does not. `after`: the version the first message must exceed. `acknowledged`: the last version
   * the charger accepted, null when it accepted none.
   */
  private async send(
    chargePointId: string,
    plan: LocalListMessage[],
    after: number,
  ): Promise<Sent & { status: ListPushStatus; acknowledged: number | null }> {
    const { lists, clock } = this.deps;
    let version = after;
    let acknowledged: number | null = null;
    const sent: Sent = { entries: 0, messages: 0, skipped: 0 };
    for (const message of plan) {
      const next = version + 1;
      const { status, omitted } = await this.sendOne(chargePointId, next, message);
      sent.messages += 1;
      sent.entries += message.entries.length - omitted.length;
      sent.skipped += omitted.length;
      if (status !== 'Accepted') {
        if (status === 'NotSupported') await this.markNotSupported(chargePointId);
        return { ...sent, status, acknowledged };
      }
      // What the charger holds now is what its dialect could carry.
      const left = new Set(omitted.map((idTag) => idTag.toUpperCase()));
      await lists.recordAccepted({
        chargePointId,
        listVersion: next,
        updateType: message.updateType,
        upserts: message.upserts.filter((entry) => !left.has(entry.idTag.toUpperCase())),
        removals: message.removals.filter((token) => !left.has(token.idTag.toUpperCase())),
        at: clock.now().toISOString(),
      });
      version = next;
      acknowledged = next;
    }
    return { ...sent, status: 'Accepted', acknowledged };
  }

  private async sendOne(chargePointId: string, listVersion: number, message: LocalListMessage): Promise<{ status: ListPushStatus; omitted: string[] }> {
    try {
      return await this.deps.gateway.send(chargePointId, {
        kind: 'pushList',
        version: listVersion,
        update: message.updateType,
        upserts: message.upserts,
        removals: message.removals,
      });
    } catch (error) {
      // A charger without the feature may refuse the message itself instead of answering NotSupported.
      if (error instanceof ChargerCallError && UNSUPPORTED_CODES.has(error.code)) await this.markNotSupported(chargePointId);
      throw error;
    }
  }

  private async markNotSupported(chargePointId: string): Promise<void> {
    this.deps.log.warn({ chargePointId }, 'charger does not support a local authorization list: no further SendLocalList will be sent');
    await this.deps.lists.recordNotSupported(chargePointId, this.deps.clock.now().toISOString());
  }

  /** SendLocalListMaxLength and LocalAuthListMaxLength, read once before the first push; unknown → no limit. */
  private async limits(chargePointId: string, state: LocalListState): Promise<LocalListLimits> {
    if (state.limitsReadAt !== null) return state;
    let limits: LocalListLimits = { sendLocalListMaxLength: null, localAuthListMaxLength: null };
    try {
      const answer = await this.deps.gateway.send(chargePointId, { kind: 'readListLimits' });
      limits = { sendLocalListMaxLength: answer.perUpdate, localAuthListMaxLength: answer.capacity };
    } catch (error) {
      // A charger that refuses to tell its limits still takes a list; a timeout or a lost connection is not an answer.
      if (!(error instanceof ChargerCallError)) throw error;
      this.deps.log.info({ chargePointId, code: error.code }, 'the charger refused to tell its local list limits: list sent without known limits');
    }
    await this.deps.lists.recordLimits(chargePointId, limits, this.deps.clock.now().toISOString());
    return limits;
  }

  private exclusive<T>(chargePointId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(chargePointId) ?? Promise.resolve();
    const run = previous.then(work, work);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(chargePointId, tail);
    void tail.then(() => {
      if (this.queues.get(chargePointId) === tail) this.queues.delete(chargePointId);
    });
    return run;
  }
}

interface Sent {
  entries: number;
  messages: number;
  /** Tokens the charger's dialect could not carry, left out. */
  skipped: number;
}
