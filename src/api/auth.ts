// The operator key check for /api/v1 (PRODUCT.md: "Authorization: Bearer <operator key>", 401 without it).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from './errors.js';

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
    return reply
      .code(401)
      .header('www-authenticate', 'Bearer')
      .send(errorBody('unauthorized', match ? 'Wrong operator key' : 'Missing Authorization: Bearer <operator key> header'));
  };
}
