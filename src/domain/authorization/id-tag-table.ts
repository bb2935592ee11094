// The whitelist as the domain sees it: decisions are read from memory, writes go to storage first and then
// to memory, so an Authorize never waits on the database and never sees a tag storage does not hold.
import type { IdTagInput, IdTagRecord, IdTagRepository, IdTagStatus, Page, PageQuery } from '../ports.js';
import { decideIdTag, type IdTagInfo } from './decide.js';

/** OCPP idTags are CiString20: case-insensitive. */
export const idTagKey = (idTag: string): string => idTag.toUpperCase();

export class IdTagTable implements Pick<IdTagRepository, 'get' | 'list' | 'put' | 'delete'> {
  private readonly byKey = new Map<string, IdTagRecord>();

  constructor(private readonly repository: IdTagRepository) {}

  async load(): Promise<void> {
    this.byKey.clear();
    for (const tag of await this.repository.all()) this.byKey.set(idTagKey(tag.idTag), tag);
  }

  lookup(idTag: string): IdTagRecord | undefined {
    return this.byKey.get(idTagKey(idTag));
  }

  decide(idTag: string, now: Date): IdTagInfo {
    const tag = this.lookup(idTag);
    const parent = tag?.parentIdTag ? this.lookup(tag.parentIdTag) : undefined;
    return decideIdTag(tag, parent, now);
  }

  get(idTag: string): Promise<IdTagRecord | null> {
    return this.repository.get(idTag);
  }

  list(query: PageQuery & { status?: IdTagStatus }): Promise<Page<IdTagRecord>> {
    return this.repository.list(query);
  }

  async put(input: IdTagInput): Promise<IdTagRecord> {
    const saved = await this.repository.put(input);
    this.byKey.set(idTagKey(saved.idTag), saved);
    return saved;
  }

  async delete(idTag: string): Promise<boolean> {
    const deleted = await this.repository.delete(idTag);
    this.byKey.delete(idTagKey(idTag));
    return deleted;
  }
}
