// The schema-failure → CALLERROR table, with each version's spelling, and the real validators behind it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { errorCodeForKeyword, normaliseErrorCode } from '../../src/ocpp/schemas/error-codes.js';
import { createValidators } from '../../src/ocpp/schemas/validators.js';

describe('errorCodeForKeyword', () => {
  it('OCPP-J 1.6 Table 7: 1.6 spellings are FormationViolation and OccurenceConstraintViolation', () => {
    assert.equal(errorCodeForKeyword('required', 'ocpp1.6'), 'OccurenceConstraintViolation');
    assert.equal(errorCodeForKeyword('additionalProperties', 'ocpp1.6'), 'FormationViolation');
    assert.equal(errorCodeForKeyword('type', 'ocpp1.6'), 'TypeConstraintViolation');
    assert.equal(errorCodeForKeyword('enum', 'ocpp1.6'), 'PropertyConstraintViolation');
    assert.equal(errorCodeForKeyword('maxLength', 'ocpp1.6'), 'PropertyConstraintViolation');
  });

  it('Part 4 Table 7: 2.0.1 spellings are FormatViolation and OccurrenceConstraintViolation', () => {
    assert.equal(errorCodeForKeyword('required', 'ocpp2.0.1'), 'OccurrenceConstraintViolation');
    assert.equal(errorCodeForKeyword('additionalProperties', 'ocpp2.0.1'), 'FormatViolation');
    assert.equal(errorCodeForKeyword('somethingNew', 'ocpp2.0.1'), 'FormatViolation');
  });
});

describe('normaliseErrorCode', () => {
  it('CONFORMANCE 7: either spelling maps to one code; unknown codes become GenericError', () => {
    assert.equal(normaliseErrorCode('FormationViolation'), 'FormatViolation');
    assert.equal(normaliseErrorCode('FormatViolation'), 'FormatViolation');
    assert.equal(normaliseErrorCode('OccurenceConstraintViolation'), 'OccurrenceConstraintViolation');
    assert.equal(normaliseErrorCode('NotSupported'), 'NotSupported');
    assert.equal(normaliseErrorCode('VendorSpecificOops'), 'GenericError');
    assert.equal(normaliseErrorCode(42), 'GenericError');
  });
});

describe('createValidators', () => {
  const v16 = createValidators('ocpp1.6');
  const start = { connectorId: 1, idTag: 'X', meterStart: 0, timestamp: '2026-01-01T00:00:00Z' };

  it('compiles once per process: the same object for the same protocol', () => {
    assert.equal(createValidators('ocpp1.6'), v16);
  });

  it('OCPP-J 1.6 §4.2.1: action names are case-sensitive', () => {
    assert.equal(v16.knows('BootNotification'), true);
    assert.equal(v16.knows('bootnotification'), false);
    assert.equal(v16.knows('constructor'), false);
  });

  it('CONFORMANCE 6: each schema failure kind gets its 1.6 code and a message naming the field', () => {
    const { meterStart: _m, ...missing } = start;
    assert.deepEqual(v16.validateRequest('StartTransaction', missing), { code: 'OccurenceConstraintViolation', message: 'missing required field meterStart' });
    assert.deepEqual(v16.validateRequest('StartTransaction', { ...start, connectorId: '1' }), { code: 'TypeConstraintViolation', message: 'connectorId: must be integer' });
    assert.equal(v16.validateRequest('StatusNotification', { connectorId: 1, errorCode: 'Nope', status: 'Available' })?.code, 'PropertyConstraintViolation');
    assert.match(v16.validateRequest('Authorize', { idTag: 'X'.repeat(21) })?.message ?? '', /idTag/);
    assert.equal(v16.validateRequest('BootNotification', { chargePointVendor: 'a', chargePointModel: 'b', extra: 1 })?.code, 'FormationViolation');
    assert.equal(v16.validateRequest('StartTransaction', start), null);
  });

  it('CONFORMANCE 61: a timestamp without an offset passes the schema (the domain flags it)', () => {
    assert.equal(v16.validateRequest('StartTransaction', { ...start, timestamp: '2026-01-01T10:00:00' }), null);
    assert.equal(v16.validateRequest('StartTransaction', { ...start, timestamp: 'yesterday' })?.code, 'PropertyConstraintViolation');
  });

  it('the 2.0.1 (draft-06) schemas load and use the 2.0.1 spelling', () => {
    const v201 = createValidators('ocpp2.0.1');
    assert.equal(v201.validateRequest('BootNotification', { reason: 'PowerUp' })?.code, 'OccurrenceConstraintViolation');
    assert.equal(v201.validateRequest('BootNotification', { reason: 'PowerUp', chargingStation: { model: 'm', vendorName: 'v' } }), null);
  });
});
