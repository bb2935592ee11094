import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decideIdTag } from '../../src/domain/authorization/decide.js';
import type { IdTagRecord } from '../../src/domain/ports.js';

const now = new Date('2026-06-01T12:00:00.000Z');
const tag = (over: Partial<IdTagRecord> = {}): IdTagRecord => ({
  idTag: 'TAG1',
  status: 'Accepted',
  expiryDate: null,
  idTokenType: null,
  parentIdTag: null,
  maxActiveTransactions: null,
  label: null,
  createdAt: now.toISOString(),
  updatedAt: now.toISOString(),
  ...over,
});

describe('decideIdTag (OCPP 1.6 AuthorizationStatus)', () => {
  it('an unknown tag is Invalid', () => {
    assert.deepEqual(decideIdTag(undefined, undefined, now), { status: 'Invalid' });
  });
  it('an accepted tag is Accepted with its expiry date and parent echoed (CONFORMANCE 36)', () => {
    assert.deepEqual(decideIdTag(tag({ expiryDate: '2027-01-01T00:00:00.000Z', parentIdTag: 'GROUP' }), undefined, now), {
      status: 'Accepted',
      expiryDate: '2027-01-01T00:00:00.000Z',
      parentIdTag: 'GROUP',
    });
  });
  it('a stored Blocked or Expired status is answered as stored, never collapsed to Invalid (CONFORMANCE 37)', () => {
    assert.equal(decideIdTag(tag({ status: 'Blocked' }), undefined, now).status, 'Blocked');
    assert.equal(decideIdTag(tag({ status: 'Expired' }), undefined, now).status, 'Expired');
    assert.equal(decideIdTag(tag({ status: 'Invalid' }), undefined, now).status, 'Invalid');
  });
  it('an accepted tag whose expiry date has passed is Expired', () => {
    assert.equal(decideIdTag(tag({ expiryDate: '2026-06-01T11:59:59.000Z' }), undefined, now).status, 'Expired');
  });
  it('a member of a blocked group is Blocked', () => {
    const parent = tag({ idTag: 'GROUP', status: 'Blocked' });
    assert.equal(decideIdTag(tag({ parentIdTag: 'GROUP' }), parent, now).status, 'Blocked');
  });
});
