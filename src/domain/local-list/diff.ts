// The Local Authorization List as data: what the charger should hold, what changed since it last
// acknowledged a version, and how to cut it into messages within the charger's limits (OCPP 1.6 §3.5.2,
// §5.15). Pure, so every rule is unit-tested on its own.
import type { ListToken, LocalListEntry } from '../ports.js';

/** OCPP idTags are CiString20: case-insensitive. */
const keyOf = (idTag: string): string => idTag.toUpperCase();

export interface LocalListLimits {
  /** SendLocalListMaxLength: entries per SendLocalList; null = no limit known. */
  sendLocalListMaxLength: number | null;
  /** LocalAuthListMaxLength: entries the charger can hold; null = no limit known. */
  localAuthListMaxLength: number | null;
}

export interface LocalListDiff {
  /** New entries and entries whose idTagInfo changed, with their idTagInfo. */
  upserts: LocalListEntry[];
  /**
   * Tokens the charger holds that are no longer wanted, as it holds them (sent without idTagInfo); a token whose
   * type changed is removed under its old type, since a 2.x list tells tokens apart by value and type.
   */
  removals: ListToken[];
}

export function sameIdTagInfo(a: LocalListEntry['idTagInfo'], b: LocalListEntry['idTagInfo']): boolean {
  return a.status === b.status && (a.expiryDate ?? null) === (b.expiryDate ?? null) && (a.parentIdTag ?? null) === (b.parentIdTag ?? null);
}

const sameType = (a: ListToken, b: ListToken): boolean => (a.idTokenType ?? null) === (b.idTokenType ?? null);

/** The token as a removal names it: its value and the type it is held under. */
const tokenOf = (entry: ListToken): ListToken => ({ idTag: entry.idTag, idTokenType: entry.idTokenType ?? null });

/** Unique by key (the first spelling wins) and ordered by key: the same whitelist always gives the same list. */
export function normaliseEntries(entries: readonly LocalListEntry[]): LocalListEntry[] {
  const byKey = new Map<string, LocalListEntry>();
  for (const entry of entries) if (!byKey.has(keyOf(entry.idTag))) byKey.set(keyOf(entry.idTag), entry);
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, entry]) => entry);
}

/**
 * What the charger may hold: the whole list when it fits LocalAuthListMaxLength, else its first entries in
 * key order (a stable choice: the same tags stay in as the whitelist grows); the rest is `omitted`.
 */
export function capToCapacity(entries: readonly LocalListEntry[], limits: LocalListLimits): { included: LocalListEntry[]; omitted: LocalListEntry[] } {
  const all = normaliseEntries(entries);
  const max = limits.localAuthListMaxLength;
  if (max === null || all.length <= max) return { included: all, omitted: [] };
  return { included: all.slice(0, Math.max(0, max)), omitted: all.slice(Math.max(0, max)) };
}

/** The changes that turn `held` (what the charger holds) into `wanted`; idTags compared case-insensitively. */
export function diffLocalList(held: readonly LocalListEntry[], wanted: readonly LocalListEntry[]): LocalListDiff {
  const heldByKey = new Map(normaliseEntries(held).map((entry) => [keyOf(entry.idTag), entry]));
  const wantedList = normaliseEntries(wanted);
  const wantedKeys = new Set(wantedList.map((entry) => keyOf(entry.idTag)));
  const upserts = wantedList.filter((entry) => {
    const had = heldByKey.get(keyOf(entry.idTag));
    return !had || !sameIdTagInfo(had.idTagInfo, entry.idTagInfo) || !sameType(had, entry);
  });
  const retyped = wantedList.flatMap((entry) => {
    const had = heldByKey.get(keyOf(entry.idTag));
    return had && !sameType(had, entry) ? [tokenOf(had)] : [];
  });
  const removals = [...[...heldByKey.entries()].filter(([key]) => !wantedKeys.has(key)).map(([, entry]) => tokenOf(entry)), ...retyped];
  return { upserts, removals };
}

export const isEmptyDiff = (diff: LocalListDiff): boolean => diff.upserts.length === 0 && diff.removals.length === 0;

/** One SendLocalList: `entries` with idTagInfo are adds/updates, without are removals (Differential only). */
export interface LocalListMessage {
  updateType: 'Full' | 'Differential';
  /** What goes in localAuthorizationList. */
  entries: Array<LocalListEntry | ListToken>;
  upserts: LocalListEntry[];
  removals: ListToken[];
}

function chunks<T>(items: readonly T[], size: number | null): T[][] {
  if (size === null || items.length <= size) return [items.slice()];
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A limit below 1 cannot carry an entry: treated as one per message rather than a loop of empty ones. */
const perMessage = (limits: LocalListLimits) => (limits.sendLocalListMaxLength === null ? null : Math.max(1, limits.sendLocalListMaxLength));

/**
 * A Full update of `included` (already capped): one Full with the first SendLocalListMaxLength entries, then
 * Differentials with the rest. An empty list is one empty Full, which clears the charger's list (D01.FR.18).
 */
export function planFull(included: readonly LocalListEntry[], limits: LocalListLimits): LocalListMessage[] {
  return chunks(included, perMessage(limits)).map((part, i) => ({
    updateType: i === 0 ? 'Full' : 'Differential',
    entries: part,
    upserts: part,
    removals: [],
  }));
}

/**
 * A Differential update: removals first (so the charger never holds more than LocalAuthListMaxLength in
 * between), then adds and updates, at most SendLocalListMaxLength changes a message. No changes: one empty
 * Differential.
 */
export function planDifferential(diff: LocalListDiff, limits: LocalListLimits): LocalListMessage[] {
  const changes: Array<{ removal: ListToken } | { upsert: LocalListEntry }> = [
    ...diff.removals.map((removal) => ({ removal })),
    ...diff.upserts.map((upsert) => ({ upsert })),
  ];
  return chunks(changes, perMessage(limits)).map((part) => {
    const removals = part.flatMap((c) => ('removal' in c ? [c.removal] : []));
    const upserts = part.flatMap((c) => ('upsert' in c ? [c.upsert] : []));
    return { updateType: 'Differential', entries: [...removals, ...upserts], upserts, removals };
  });
}
