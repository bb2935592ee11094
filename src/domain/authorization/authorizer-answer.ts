// Reads the operator authorizer's answer: `{status, expiryDate?, parentIdTag?}`. Anything else is nonsense,
// and nonsense never decides (the whitelist does): pure, so each malformed shape is unit-tested.
import type { AuthorizationStatus } from '../ports.js';
import type { IdTagInfo } from './decide.js';

const STATUSES: readonly AuthorizationStatus[] = ['Accepted', 'Blocked', 'Expired', 'Invalid', 'ConcurrentTx'];

export type ParsedAnswer = { ok: true; info: IdTagInfo } | { ok: false; problem: string };

export function parseAuthorizerAnswer(raw: unknown): ParsedAnswer {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, problem: 'answer is not a JSON object' };
  const { status, expiryDate, parentIdTag } = raw as Record<string, unknown>;
  if (typeof status !== 'string' || !STATUSES.includes(status as AuthorizationStatus)) {
    return { ok: false, problem: `status must be one of ${STATUSES.join(', ')}` };
  }
  const info: IdTagInfo = { status: status as AuthorizationStatus };
  if (expiryDate !== undefined && expiryDate !== null) {
    // OCPP dateTime: must carry an offset so the charger reads the same instant.
    if (typeof expiryDate !== 'string' || !/(Z|[+-]\d\d:?\d\d)$/i.test(expiryDate) || Number.isNaN(Date.parse(expiryDate))) {
      return { ok: false, problem: 'expiryDate must be an ISO-8601 time with an offset' };
    }
    info.expiryDate = new Date(expiryDate).toISOString();
  }
  if (parentIdTag !== undefined && parentIdTag !== null) {
    if (typeof parentIdTag !== 'string' || parentIdTag.length === 0 || parentIdTag.length > 20) {
      return { ok: false, problem: 'parentIdTag must be a string of 1 to 20 characters' };
    }
    info.parentIdTag = parentIdTag;
  }
  return { ok: true, info };
}
