// Shapes shared by every /api/v1 route: the error body, pagination, and the list wrapper.
// Plain JSON Schema consts: Fastify validates and serializes with them, @fastify/swagger turns them into OpenAPI.

export const errorSchema = {
  type: 'object',
  description: 'Every error the API answers',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', description: 'Stable, machine-readable code, e.g. not_found, validation_error' },
        message: { type: 'string', description: 'Human-readable explanation' },
      },
    },
  },
} as const;

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input: the message names the field and what is wrong',
  401: 'Missing or wrong operator key',
  404: 'No such resource',
  500: 'Unexpected server error',
  503: 'Storage unavailable (the database is restarting or unreachable, or the disk is full): try again after Retry-After seconds',
};

/**
 * The error responses a route can give, each with the common error shape. A route that can fail (500) can also
 * meet storage that is away (503, PRODUCT.md "What survives"), so that one comes with it.
 */
export function errorResponses(...statuses: number[]): Record<number, object> {
  const responses: Record<number, object> = {};
  const all = statuses.includes(500) && !statuses.includes(503) ? [...statuses, 503] : statuses;
  for (const status of all) responses[status] = { ...errorSchema, description: ERROR_DESCRIPTIONS[status] ?? 'Error' };
  return responses;
}

export const nullableString = { type: ['string', 'null'] } as const;
export const isoTime = { type: 'string', format: 'date-time', description: 'ISO-8601 UTC' } as const;
export const nullableIsoTime = { type: ['string', 'null'], format: 'date-time', description: 'ISO-8601 UTC, or null' } as const;

export const pageQueryProperties = {
  limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100, description: 'Page size' },
  cursor: { type: 'string', minLength: 1, maxLength: 1024, description: 'nextCursor of the previous page' },
} as const;

/** `{items, nextCursor}`: every list answers this way. */
export function pageOf<T extends object>(item: T, description: string) {
  return {
    type: 'object',
    description,
    required: ['items', 'nextCursor'],
    properties: {
      items: { type: 'array', items: item },
      nextCursor: { type: ['string', 'null'], description: 'Pass as cursor for the next page; null on the last page' },
    },
  } as const;
}

/** The 200 of a streamed CSV export. */
export const csvResponse = { description: 'RFC 4180 CSV', content: { 'text/csv': { schema: { type: 'string' } } } } as const;

/** Every /api/v1 route needs the operator key (OpenAPI security requirement). */
export const bearerSecurity = [{ bearerAuth: [] }];
