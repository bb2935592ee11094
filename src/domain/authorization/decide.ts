// The whitelist decision for one ID tag at one moment: pure, so every rule is unit-tested on its own.
import type { AuthorizationStatus, IdTagRecord } from '../ports.js';

export interface IdTagInfo {
  status: AuthorizationStatus;
  expiryDate?: string;
  parentIdTag?: string;
}

/**
 * `tag` is the whitelist entry (undefined when unknown), `parent` its parent's entry when it has one.
 * A stored Blocked or Expired status is answered as stored, never collapsed to Invalid (CONFORMANCE 37).
 */
export function decideIdTag(tag: IdTagRecord | undefined, parent: IdTagRecord | undefined, now: Date): IdTagInfo {
  if (!tag) return { status: 'Invalid' };
  const info: IdTagInfo = { status: tag.status };
  if (tag.expiryDate) info.expiryDate = tag.expiryDate;
  if (tag.parentIdTag) info.parentIdTag = tag.parentIdTag;
  if (tag.status !== 'Accepted') return info;
  if (tag.expiryDate && Date.parse(tag.expiryDate) <= now.getTime()) return { ...info, status: 'Expired' };
  // Blocking a group blocks its members.
  if (parent && parent.status === 'Blocked') return { ...info, status: 'Blocked' };
  return info;
}
