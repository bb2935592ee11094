// Session totals per charger, tag or UTC day over a period (issue 4, "session statistics").
import { bearerSecurity, errorResponses, isoTime, pageQueryProperties } from './common.js';

export const statisticsSchema = {
  tags: ['transactions'],
  summary: 'Session totals per charger, ID tag or day',
  description:
    'Sessions that started in [from, to), grouped. energyWh and durationS sum the completed sessions (energy as in the ' +
    'session list, so a session whose energy is unknown adds 0); activeSessions counts those still running. Days are UTC.',
  security: bearerSecurity,
  querystring: {
    type: 'object',
    required: ['groupBy'],
    properties: {
      groupBy: { type: 'string', enum: ['chargePoint', 'idTag', 'day'] },
      from: { ...isoTime, description: 'Sessions started at or after this time' },
      to: { ...isoTime, description: 'Sessions started before this time' },
      chargePointId: { type: 'string', minLength: 1, maxLength: 255, description: 'Only this charger' },
      idTag: { type: 'string', minLength: 1, maxLength: 20, description: 'Only this tag' },
      ...pageQueryProperties,
    },
  },
  response: {
    200: {
      type: 'object',
      description: 'A page of groups, in byte-wise key order (for idTag, of the upper-cased tag)',
      required: ['groupBy', 'items', 'nextCursor'],
      properties: {
        groupBy: { type: 'string' },
        items: {
          type: 'array',
          items: {
            type: 'object',
            required: ['key', 'sessions', 'activeSessions', 'energyWh', 'durationS'],
            properties: {
              key: { type: 'string', description: 'The charger id, the idTag (one spelling of a case-insensitive group), or the day (YYYY-MM-DD, UTC)' },
              sessions: { type: 'integer' },
              activeSessions: { type: 'integer' },
              energyWh: { type: 'number' },
              durationS: { type: 'number' },
            },
          },
        },
        nextCursor: { type: ['string', 'null'], description: 'Pass as cursor for the next page; null on the last page' },
      },
    },
    ...errorResponses(400, 401, 500),
  },
} as const;
