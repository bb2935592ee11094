// Every failure under /api leaves as {"error": {"code", "message"}} (PRODUCT.md), whatever raised it:
// a route's ApiError, a schema validation failure, a body the parser refused, an unknown route, or a bug.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isStorageUnavailable } from '../domain/storage-faults.js';

/** Seconds a client is asked to wait before trying again while storage is away. */
const STORAGE_RETRY_AFTER_S = 5;

/** An error a route means to answer with: the status and stable code are part of the API. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Machine-readable specifics (e.g. the invalid lines of an import); the route's error schema declares them. */
    readonly details?: unknown[],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function errorBody(code: string, message: string, details?: unknown[]) {
  return { error: details ? { code, message, details } : { code, message } };
}

// Fastify's own 4xx errors (bad JSON, wrong content type, body too large) keep their status; the code is named here.
const CODES_BY_STATUS: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
};

interface AjvIssue {
  keyword: string;
  instancePath: string;
  message?: string;
  params: Record<string, unknown>;
}

/** "body/status must be equal to one of the allowed values: Accepted, …": names the field and what is wrong. */
export function describeValidation(context: string | undefined, issues: AjvIssue[]): string {
  return issues
    .map((issue) => {
      const where = `${context ?? 'request'}${issue.instancePath}`;
      if (issue.keyword === 'required') return `${where}/${String(issue.params.missingProperty)} is required`;
      if (issue.keyword === 'enum' && Array.isArray(issue.params.allowedValues)) {
        return `${where} ${issue.message}: ${issue.params.allowedValues.join(', ')}`;
      }
      return `${where} ${issue.message ?? 'is invalid'}`;
    })
    .join('; ');
}

export function apiErrorHandler(error: FastifyError | ApiError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof ApiError) {
    return reply.code(error.status).send(errorBody(error.code, error.message, error.details));
  }
  if (isStorageUnavailable(error)) {
    // The database or the disk, not the request: the same request succeeds once storage is back.
    return reply
      .code(503)
      .header('retry-after', String(STORAGE_RETRY_AFTER_S))
      .send(errorBody('storage_unavailable', `${error.message}; try again shortly`));
  }
  if (error.validation) {
    return reply.code(400).send(errorBody('validation_error', describeValidation(error.validationContext, error.validation as AjvIssue[])));
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return reply.code(status).send(errorBody(CODES_BY_STATUS[status] ?? 'bad_request', error.message));
  }
  // A bug or a failing dependency: log it with the request id, tell the caller nothing internal.
  request.log.error({ err: error }, 'unexpected error in API request');
  return reply.code(500).send(errorBody('internal_error', 'Internal server error'));
}

export function apiNotFoundHandler(request: FastifyRequest, reply: FastifyReply) {
  return reply.code(404).send(errorBody('not_found', `Route ${request.method} ${request.url.split('?')[0]} not found`));
}
