// The one table from a JSON-schema failure to the CALLERROR code OCPP names for it, with each version's
// own spellings at the edge: OCPP-J 1.6 Table 7 writes FormationViolation / OccurenceConstraintViolation,
// OCPP 2.0.1 Part 4 writes FormatViolation / OccurrenceConstraintViolation.

export type OcppProtocol = 'ocpp1.6' | 'ocpp2.0.1';

/** Version-neutral kinds of schema failure, named after the 2.0.1 codes. */
type FailureKind =
  | 'TypeConstraintViolation'
  | 'OccurrenceConstraintViolation'
  | 'PropertyConstraintViolation'
  | 'FormatViolation';

/**
 * Why each keyword maps where it does (OCPP-J 1.6 Table 7 / Part 4 Table 7 wording):
 * - wrong data type ("somestring": 12) is a TypeConstraintViolation;
 * - a field that is missing or occurs too often/too rarely (required, min/maxItems, min/maxProperties)
 *   violates occurrence constraints;
 * - a value of the right type that is not allowed (enum, length, range, pattern, date-time format) is
 *   "syntactically correct but contains an invalid value": PropertyConstraintViolation;
 * - a field the PDU does not declare (additionalProperties) means the payload does not "conform to the
 *   PDU structure": FormationViolation. (ocpp-rpc maps it to PropertyConstraintViolation; the spec's
 *   wording fits the structural code better.)
 * Anything unlisted (oneOf, $ref failures…) is a structural mismatch too.
 */
const KEYWORD_KIND: Readonly<Record<string, FailureKind>> = {
  type: 'TypeConstraintViolation',
  required: 'OccurrenceConstraintViolation',
  minItems: 'OccurrenceConstraintViolation',
  maxItems: 'OccurrenceConstraintViolation',
  minProperties: 'OccurrenceConstraintViolation',
  maxProperties: 'OccurrenceConstraintViolation',
  additionalItems: 'OccurrenceConstraintViolation',
  uniqueItems: 'OccurrenceConstraintViolation',
  enum: 'PropertyConstraintViolation',
  const: 'PropertyConstraintViolation',
  maxLength: 'PropertyConstraintViolation',
  minLength: 'PropertyConstraintViolation',
  maximum: 'PropertyConstraintViolation',
  minimum: 'PropertyConstraintViolation',
  exclusiveMaximum: 'PropertyConstraintViolation',
  exclusiveMinimum: 'PropertyConstraintViolation',
  multipleOf: 'PropertyConstraintViolation',
  pattern: 'PropertyConstraintViolation',
  format: 'PropertyConstraintViolation',
  additionalProperties: 'FormatViolation',
};

const V16_SPELLING: Readonly<Record<FailureKind, string>> = {
  TypeConstraintViolation: 'TypeConstraintViolation',
  OccurrenceConstraintViolation: 'OccurenceConstraintViolation',
  PropertyConstraintViolation: 'PropertyConstraintViolation',
  FormatViolation: 'FormationViolation',
};

/** The CALLERROR code for a failed Ajv keyword, spelled as the protocol spells it. */
export function errorCodeForKeyword(keyword: string, protocol: OcppProtocol): string {
  const kind = KEYWORD_KIND[keyword] ?? 'FormatViolation';
  return protocol === 'ocpp1.6' ? V16_SPELLING[kind] : kind;
}

/** The code for a frame that is not well-formed OCPP-J at all (not JSON, not an array, bad fields). */
export function formatViolationCode(protocol: string): string {
  return protocol === 'ocpp1.6' ? 'FormationViolation' : 'FormatViolation';
}

/** The occurrence code in the protocol's spelling. */
export function occurrenceViolationCode(protocol: string): string {
  return protocol === 'ocpp1.6' ? 'OccurenceConstraintViolation' : 'OccurrenceConstraintViolation';
}

/** Codes either version may send us, keyed by their spelling, to a canonical (2.0.1) spelling. */
const CANONICAL: Readonly<Record<string, string>> = {
  FormationViolation: 'FormatViolation',
  FormatViolation: 'FormatViolation',
  OccurenceConstraintViolation: 'OccurrenceConstraintViolation',
  OccurrenceConstraintViolation: 'OccurrenceConstraintViolation',
};

/** Codes the specs define (1.6 Table 7 and 2.0.1 Part 4 Table 7, canonical spelling). */
const KNOWN_CODES = new Set([
  'NotImplemented',
  'NotSupported',
  'InternalError',
  'ProtocolError',
  'SecurityError',
  'FormatViolation',
  'PropertyConstraintViolation',
  'OccurrenceConstraintViolation',
  'TypeConstraintViolation',
  'GenericError',
  'MessageTypeNotSupported',
  'RpcFrameworkError',
]);

/**
 * An incoming error code in the canonical (2.0.1) spelling, whatever spelling or version the peer used;
 * a code no spec defines becomes GenericError (the original is kept by the caller for the log).
 */
export function normaliseErrorCode(code: unknown): string {
  if (typeof code !== 'string') return 'GenericError';
  const canonical = CANONICAL[code] ?? code;
  return KNOWN_CODES.has(canonical) ? canonical : 'GenericError';
}
