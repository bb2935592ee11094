// The whitelist resource of PRODUCT.md: ID tags (OCPP 1.6 IdToken is a CiString20).
import { bearerSecurity, errorResponses, nullableIsoTime, pageOf, pageQueryProperties } from './common.js';

export const ID_TAG_STATUSES = ['Accepted', 'Blocked', 'Expired', 'Invalid'] as const;

const idTagString = { type: 'string', minLength: 1, maxLength: 20, description: 'OCPP IdToken (CiString20, case-insensitive)' } as const;
const status = { type: 'string', enum: ID_TAG_STATUSES } as const;

const fields = {
  status,
  expiryDate: nullableIsoTime,
  parentIdTag: { ...idTagString, type: ['string', 'null'], description: 'Group tag (CiString20), or null' },
  maxActiveTransactions: { type: ['integer', 'null'], minimum: 1, description: 'Concurrent sessions allowed; null for no limit' },
  label: { type: ['string', 'null'], maxLength: 200, description: 'Free text for operators, e.g. the card holder' },
} as const;

export const idTagSchema = {
  type: 'object',
  required: ['idTag', 'status', 'expiryDate', 'parentIdTag', 'maxActiveTransactions', 'label'],
  properties: { idTag: idTagString, ...fields },
} as const;

const idTagParams = { type: 'object', required: ['idTag'], properties: { idTag: idTagString } } as const;
const tags = ['id-tags'];

export const listIdTagsSchema = {
  tags,
  summary: 'List the whitelist',
  security: bearerSecurity,
  querystring: { type: 'object', properties: { ...pageQueryProperties, status } },
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
