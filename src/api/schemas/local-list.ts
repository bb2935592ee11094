// The Local Authorization List and cache routes of PRODUCT.md (OCPP 1.6 SendLocalList, GetLocalListVersion, ClearCache).
import { acceptedOrRejectedAnswer, chargePointIdParams, chargerCommandErrorResponses } from '../charger-commands.js';
import { bearerSecurity } from './common.js';

const tags = ['local-list'];


const updateType = { type: 'string', enum: ['Full', 'Differential'] } as const;

export const pushLocalListSchema = {
  tags,
  summary: "Push the whitelist to the charger's local authorization list",
  description:
    'Sends the whole whitelist, each tag with its status as decided now (Blocked tags as Blocked). Full replaces the ' +
    "charger's list, cut into a Full and Differentials within its SendLocalListMaxLength. Differential first asks the " +
    'charger for its version: when it is the one it last acknowledged, only the changes since then are sent, else a Full; ' +
    'a Differential answered VersionMismatch or Failed is sent again once as a Full. Entries beyond the charger\'s ' +
    'LocalAuthListMaxLength are left out and counted in `omitted`. A charger that answered NotSupported gets no further list (409).',
  security: bearerSecurity,
  params: chargePointIdParams,
  body: {
    type: 'object',
    required: ['updateType'],
    additionalProperties: false,
    properties: { updateType },
  },
  response: {
    200: {
      type: 'object',
      description: "The charger's answer",
      required: ['status', 'listVersion', 'updateType', 'entries', 'omitted'],
      properties: {
        status: {
          type: 'string',
          enum: ['Accepted', 'Failed', 'NotSupported', 'VersionMismatch'],
          description: "The charger's answer to the last SendLocalList sent",
        },
        listVersion: { type: 'integer', description: 'The list version the charger acknowledged last: the new one when Accepted' },
        updateType: { ...updateType, description: 'What was sent first: Full when a Differential was not possible or fell back' },
        entries: { type: 'integer', minimum: 0, description: 'Entries sent in the update that was answered (adds and updates, and removals for a Differential)' },
        omitted: { type: 'integer', minimum: 0, description: "Whitelist entries beyond the charger's LocalAuthListMaxLength, not sent" },
      },
    },
    ...chargerCommandErrorResponses,
  },
} as const;

export const getLocalListVersionSchema = {
  tags,
  summary: 'Ask the charger for its local list version',
  description: 'GetLocalListVersion: 0 means an empty list, -1 a charger whose local list is disabled.',
  security: bearerSecurity,
  params: chargePointIdParams,
  response: {
    200: {
      type: 'object',
      description: "The charger's answer",
      required: ['listVersion'],
      properties: { listVersion: { type: 'integer' } },
    },
    ...chargerCommandErrorResponses,
  },
} as const;

export const clearCacheSchema = {
  tags,
  summary: "Clear the charger's authorization cache",
  security: bearerSecurity,
  params: chargePointIdParams,
  response: {
    200: acceptedOrRejectedAnswer,
    ...chargerCommandErrorResponses,
  },
} as const;
