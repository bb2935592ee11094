// The ID tag whitelist in storage.
import type { IdTagStatus, IsoTime, Page, PageQuery } from './common.js';

export interface IdTagRecord {
  idTag: string;
  status: IdTagStatus;
  expiryDate: IsoTime | null;
  parentIdTag: string | null;
  maxActiveTransactions: number | null;
  label: string | null;
  /** The token's type (2.x: ISO14443, eMAID, …): how it is sent to a 2.x charger's local list; null: unknown. */
  idTokenType: string | null;
  createdAt: IsoTime;
  updatedAt: IsoTime;
}

export type IdTagInput = Omit<IdTagRecord, 'createdAt' | 'updatedAt'>;

/** The fields of a tag besides idTag and status: a bulk write may keep their stored values. */
export type IdTagOptionalField = 'expiryDate' | 'parentIdTag' | 'maxActiveTransactions' | 'label' | 'idTokenType';

export interface IdTagListQuery extends PageQuery {
  status?: IdTagStatus;
  /** Exact, case-insensitive. */
  parentIdTag?: string;
  /** Case-insensitive prefix of the idTag. */
  q?: string;
}

export interface IdTagBulkOptions {
  /** Fields an existing tag keeps as stored (the import file had no such column); new tags get null. */
  keep?: readonly IdTagOptionalField[];
}

export interface IdTagRepository {
  get(idTag: string): Promise<IdTagRecord | null>;
  list(query: IdTagListQuery): Promise<Page<IdTagRecord>>;
  /** Every tag, to build the in-memory decision table at start. */
  all(): Promise<IdTagRecord[]>;
  put(input: IdTagInput): Promise<IdTagRecord>;
  /** Creates or replaces every tag in one transaction: all or nothing. idTags must be unique (case-insensitively). */
  putMany(inputs: IdTagInput[], options?: IdTagBulkOptions): Promise<{ created: number; updated: number }>;
  delete(idTag: string): Promise<boolean>;
}
