// The whitelist resource of PRODUCT.md: ID tags (an OCPP 1.6 IdToken is a CiString20, a 2.0.1 idToken up to 36).
import { bearerSecurity, csvResponse, errorResponses, errorSchema, nullableIsoTime, pageOf, pageQueryProperties } from './common.js';

export const ID_TAG_STATUSES = ['Accepted', 'Blocked', 'Expired', 'Invalid'] as const;
/** OCPP 2.0.1 IdTokenType.idToken is at most 36 characters (1.6's CiString20: longer ones never reach a 1.6 charger). */
export const ID_TAG_MAX_LENGTH = 36;
/** OCPP 2.0.1 IdTokenEnumType. */
export const ID_TOKEN_TYPES = ['Central', 'eMAID', 'ISO14443', 'ISO15693', 'KeyCode', 'Local', 'MacAddress', 'NoAuthorization'] as const;
export const LABEL_MAX_LENGTH = 200;

const idTagString = {
  type: 'string',
  minLength: 1,
  maxLength: ID_TAG_MAX_LENGTH,
  description: 'The token (case-insensitive): up to 36 characters (2.x); a 1.x charger takes at most 20, and its local list leaves longer ones out',
} as const;
const status = { type: 'string', enum: ID_TAG_STATUSES } as const;

const fields = {
  status,
  expiryDate: nullableIsoTime,
  parentIdTag: { ...idTagString, type: ['string', 'null'], description: 'Group tag (2.x groupIdToken), or null' },
  maxActiveTransactions: { type: ['integer', 'null'], minimum: 1, description: 'Sessions this tag may have open at once; one more is answered ConcurrentTx. null means 1 (OCPP: one transaction per token unless allowed)' },
  label: { type: ['string', 'null'], maxLength: LABEL_MAX_LENGTH, description: 'Free text for operators, e.g. the card holder' },
  idTokenType: {
    type: ['string', 'null'],
    enum: [...ID_TOKEN_TYPES, null],
    description: "The token's type (OCPP 2.x IdTokenEnumType), as a 2.x charger's local list gets it; null: unknown (sent as ISO14443)",
  },
} as const;

export const idTagSchema = {
  type: 'object',
  required: ['idTag', 'status', 'expiryDate', 'parentIdTag', 'maxActiveTransactions', 'label', 'idTokenType'],
  properties: { idTag: idTagString, ...fields },
} as const;

const idTagParams = { type: 'object', required: ['idTag'], properties: { idTag: idTagString } } as const;
const tags = ['id-tags'];

const filterProperties = {
  status,
  parentIdTag: { ...idTagString, description: 'Only members of this group (exact, case-insensitive)' },
  q: { type: 'string', minLength: 1, maxLength: ID_TAG_MAX_LENGTH, description: 'Only idTags starting with this (case-insensitive)' },
} as const;

export const listIdTagsSchema = {
  tags,
  summary: 'List the whitelist',
  security: bearerSecurity,
  querystring: { type: 'object', properties: { ...pageQueryProperties, ...filterProperties } },
  response: { 200: pageOf(idTagSchema, 'A page of ID tags'), ...errorResponses(400, 401, 500) },
} as const;

export const getIdTagSchema = {
  tags,
  summary: 'Get one ID tag',
  security: bearerSecurity,
  params: idTagParams,
  response: { 200: { ...idTagSchema, description: 'The ID tag' }, ...errorResponses(400, 401, 404, 500) },
} as const;

export const putIdTagSchema = {
  tags,
  summary: 'Create or replace an ID tag',
  description: 'Fields left out are stored as null. 201 when the tag is new, 200 when it replaced one.',
  security: bearerSecurity,
  params: idTagParams,
  body: { type: 'object', required: ['status'], properties: fields },
  response: {
    200: { ...idTagSchema, description: 'Replaced' },
    201: { ...idTagSchema, description: 'Created' },
    ...errorResponses(400, 401, 500),
  },
} as const;

export const deleteIdTagSchema = {
  tags,
  summary: 'Remove an ID tag',
  security: bearerSecurity,
  params: idTagParams,
  response: { 204: { type: 'null', description: 'Removed' }, ...errorResponses(400, 401, 404, 500) },
} as const;

/** The export's columns, in its order; the import takes the same names in any order. */
export const ID_TAG_CSV_COLUMNS = ['idTag', 'status', 'expiryDate', 'parentIdTag', 'maxActiveTransactions', 'label', 'idTokenType'] as const;
const csvColumns = ID_TAG_CSV_COLUMNS.join(',');

/** The error shape, plus one entry per invalid line of the file. */
const invalidCsvSchema = {
  ...errorSchema,
  description: 'Nothing was imported: the file is not valid CSV or some lines are invalid (code invalid_csv, each named in details)',
  properties: {
    error: {
      ...errorSchema.properties.error,
      properties: {
        ...errorSchema.properties.error.properties,
        details: {
          type: 'array',
          description: 'Every invalid line (the header is line 1) and, when one field is at fault, that field',
          items: {
            type: 'object',
            required: ['line', 'message'],
            properties: { line: { type: 'integer' }, field: { type: 'string' }, message: { type: 'string' } },
          },
        },
      },
    },
  },
} as const;

export const importIdTagsSchema = {
  tags,
  summary: 'Import ID tags from CSV',
  description:
    `RFC 4180 CSV (UTF-8, an optional byte order mark, CRLF or LF). The header names the columns, in any order, of ${csvColumns}; ` +
    'idTag and status are required. An empty cell is null; a column left out keeps the stored value of existing tags. ' +
    'All or nothing: every line is checked first, and one invalid line imports nothing. The export is a valid import.',
  security: bearerSecurity,
  consumes: ['text/csv'],
  body: { type: 'string', description: `CSV with a header row, e.g. ${csvColumns}` },
  response: {
    200: {
      type: 'object',
      description: 'Every line was imported, in one transaction',
      required: ['imported', 'created', 'updated'],
      properties: {
        imported: { type: 'integer', description: 'Tags in the file' },
        created: { type: 'integer', description: 'Tags that were new' },
        updated: { type: 'integer', description: 'Tags that replaced stored ones' },
      },
    },
    400: invalidCsvSchema,
    ...errorResponses(401, 413, 415, 500),
  },
} as const;

export const exportIdTagsSchema = {
  tags,
  summary: 'Export ID tags as CSV',
  description: `Every tag matching the list's filters, streamed, with the header ${csvColumns}. The file imports back as it is.`,
  security: bearerSecurity,
  querystring: { type: 'object', properties: filterProperties },
  response: {
    200: csvResponse,
    ...errorResponses(400, 401, 500),
  },
} as const;
