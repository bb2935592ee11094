// The whitelist as the domain sees it: decisions are read from memory, writes go to storage first and then
// to memory, so an Authorize never waits on the database and never sees a tag storage does not hold.
import type { IdTagBulkOptions, IdTagInput, IdTagListQuery, IdTagRecord, IdTagRepository, Page } from '../ports.js';
import { decideIdTag, type IdTagInfo } from './decide.js';

/** One whitelist write as seen from memory: before undefined for a new tag, after undefined for a removal. */
export interface IdTagChange {
  idTag: string;
  before: IdTagRecord | undefined;
  after: IdTagRecord | undefined;
}

/** OCPP idTags are CiString20: case-insensitive. */
export const idTagKey = (idTag: string): string => idTag.toUpperCase();

export class IdTagTable implements Pick<IdTagRepository, 'get' | 'list' | 'put' | 'putMany' | 'delete'> {
  private readonly byKey = new Map<string, IdTagRecord>();
  private readonly listeners: Array<(changes: IdTagChange[]) => void> = [];

  constructor(private readonly repository: IdTagRepository) {}

  async load(): Promise<void> {
    this.byKey.clear();
    for (const tag of await this.repository.all()) this.byKey.set(idTagKey(tag.idTag), tag);
  }

  lookup(idTag: string): IdTagRecord | undefined {
    return this.byKey.get(idTagKey(idTag));
  }

  /** The same tag, or two tags of one group (the same parentIdTag, or one is the other's parent): OCPP 1.6 §3.10. */
  sameGroup(a: string, b: string): boolean {
    const groupOf = (idTag: string) => idTagKey(this.lookup(idTag)?.parentIdTag ?? idTag);
    return idTagKey(a) === idTagKey(b) || groupOf(a) === groupOf(b);
  }

  decide(idTag: string, now: Date): IdTagInfo {
    const tag = this.lookup(idTag);
    const parent = tag?.parentIdTag ? this.lookup(tag.parentIdTag) : undefined;
    return decideIdTag(tag, parent, now);
  }

  /** Every tag with its idTagInfo as decided at `now`, ordered by key (the Local Authorization List content). */
  decideAll(now: Date): Array<{ idTag: string; idTagInfo: IdTagInfo; idTokenType: string | null }> {
    return [...this.byKey.keys()].sort().map((key) => {
      const tag = this.byKey.get(key)!;
      return { idTag: tag.idTag, idTagInfo: this.decide(tag.idTag, now), idTokenType: tag.idTokenType ?? null };
    });
  }

  /** Called after every committed write (put, putMany, delete); a listener must return at once. */
  onChange(listener: (changes: IdTagChange[]) => void): void {
    this.listeners.push(listener);
  }

  private notify(changes: IdTagChange[]): void {
    if (changes.length === 0) return;
    for (const listener of this.listeners) {
      try {
        listener(changes);
      } catch {
        // A listener's failure is its own: the write is committed and answered all the same.
      }
    }
  }

  get(idTag: string): Promise<IdTagRecord | null> {
    return this.repository.get(idTag);
  }

  list(query: IdTagListQuery): Promise<Page<IdTagRecord>> {
    return this.repository.list(query);
  }

  async put(input: IdTagInput): Promise<IdTagRecord> {
    const saved = await this.repository.put(input);
    const before = this.byKey.get(idTagKey(saved.idTag));
    this.byKey.set(idTagKey(saved.idTag), saved);
    this.notify([{ idTag: saved.idTag, before, after: saved }]);
    return saved;
  }

  /**
   * Storage first, in one transaction; memory only after the commit, so a decision never sees a tag of an
   * import that rolled back. Memory mirrors what storage did: kept fields stay as they were.
   */
  async putMany(inputs: IdTagInput[], options: IdTagBulkOptions = {}): Promise<{ created: number; updated: number }> {
    const counts = await this.repository.putMany(inputs, options);
    const now = new Date().toISOString();
    const changes: IdTagChange[] = [];
    for (const input of inputs) {
      const key = idTagKey(input.idTag);
      const before = this.byKey.get(key);
      const kept = Object.fromEntries((options.keep ?? []).map((field) => [field, before ? before[field] : null]));
      this.byKey.set(key, { ...input, ...kept, createdAt: before?.createdAt ?? now, updatedAt: now });
      changes.push({ idTag: input.idTag, before, after: this.byKey.get(key) });
    }
    this.notify(changes);
    return counts;
  }

  async delete(idTag: string): Promise<boolean> {
    const deleted = await this.repository.delete(idTag);
    const before = this.byKey.get(idTagKey(idTag));
    this.byKey.delete(idTagKey(idTag));
    if (before) this.notify([{ idTag: before.idTag, before, after: undefined }]);
    return deleted;
  }
}
