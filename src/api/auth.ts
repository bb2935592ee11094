// The operator key check for /api/v1 (PRODUCT.md: "Authorization: Bearer <operator key>", 401 without it).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from './errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route also takes the operator key as ?key= (for EventSource). */
    queryKey?: boolean;
  }
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * An onRequest hook accepting only `Bearer <apiKey>`. Both sides are hashed first so timingSafeEqual
 * compares equal lengths and the time taken says nothing about the key. The key is never logged.
 */
export function bearerAuth(apiKey: string) {
  const expected = digest(apiKey);
  return async function requireOperatorKey(request: FastifyRequest, reply: FastifyReply) {
    const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(request.headers.authorization ?? '');
    if (match && timingSafeEqual(digest(match[1]), expected)) return;
    // Routes for browsers' EventSource, which cannot set headers, also take the key as ?key=.
    const queryKey = request.routeOptions.config.queryKey ? (request.query as { key?: unknown }).key : undefined;
    if (!match && typeof queryKey === 'string' && timingSafeEqual(digest(queryKey), expected)) return;
    return reply
      .code(401)
      .header('www-authenticate', 'Bearer')
      .send(errorBody('unauthorized', match ? 'Wrong operator key' : 'Missing Authorization: Bearer <operator key> header'));
  };
}
