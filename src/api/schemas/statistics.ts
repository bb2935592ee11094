// Session totals per charger, tag or UTC day over a period (issue 4, "session statistics").
import { bearerSecurity, errorResponses, isoTime } from './common.js';

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
    },
  },
  response: {
    200: {
      type: 'object',
      description: 'One item per group, in key order',
      required: ['groupBy', 'items'],
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
      },
    },
    ...errorResponses(400, 401, 500),
  },
} as const;
