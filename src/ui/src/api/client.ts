// The one way the dashboard talks to the REST API: adds the operator key, turns error bodies into
// ApiError, signs out on 401 and reports an unreachable server to the banner.
import { isGatewayFailure, markReachable, markUnreachable } from './connectivity';
import { operatorKey, signOut } from './session';

export const API_BASE = '/api/v1';

/** An answer from Voltgate itself: `{"error": {"code", "message", details?}}` with its HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = undefined,
  ) {
    super(message);
  }
}

/** The server (or the network to it) did not answer; the banner already says so. */
export class UnreachableError extends Error {
  constructor() {
    super('Cannot reach the Voltgate server.');
  }
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export function authHeader(key = operatorKey.get()): Record<string, string> {
  return key ? { Authorization: `Bearer ${key}` } : {};
}

interface RequestOptions {
  method?: string;
  query?: Query;
  body?: unknown;
  /** Use this key instead of the stored one (sign-in checks a key before keeping it). */
  key?: string;
}

/** Sends a request and returns the raw response once it is known to be a success. */
export async function send(path: string, options: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = authHeader(options.key);
  let body: string | undefined;
  // Fastify rejects a JSON content-type with an empty body, so only set it when there is one.
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(withQuery(API_BASE + path, options.query), { method: options.method ?? 'GET', headers, body });
  } catch {
    markUnreachable();
    throw new UnreachableError();
  }
  if (response.ok) {
    markReachable();
    return response;
  }
  const error = await readError(response);
  if (error === null) {
    markUnreachable();
    throw new UnreachableError();
  }
  markReachable();
  // A key that stops working (rotated on the server) ends the session; sign-in reports wrong keys itself.
  if (error.status === 401 && options.key === undefined) signOut('The operator key was refused. Sign in again.');
  throw error;
}

/**
 * Reads Voltgate's error body. Returns null for a gateway failure without one: Voltgate's own 502
 * (a charger's CALLERROR) has a body and is an answer, a proxy's 502/503 is an outage.
 */
export async function readError(response: Response): Promise<ApiError | null> {
  const text = await response.text().catch(() => '');
  return parseError(response.status, text);
}

export function parseError(status: number, text: string): ApiError | null {
  try {
    const parsed = JSON.parse(text) as { error?: { code?: string; message?: string; details?: unknown } };
    if (parsed.error && typeof parsed.error.message === 'string') {
      return new ApiError(status, parsed.error.code ?? 'error', parsed.error.message, parsed.error.details);
    }
  } catch {
    /* not JSON */
  }
  if (isGatewayFailure(status)) return null;
  return new ApiError(status, 'http_error', `The server answered HTTP ${status}.`);
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(path, options);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>(path, { query }),
  post: <T>(path: string, body?: unknown) => request<T>(path, { method: 'POST', body }),
  put: <T>(path: string, body: unknown) => request<T>(path, { method: 'PUT', body }),
  delete: (path: string) => request<void>(path, { method: 'DELETE' }),
};

/** A message fit for the operator, whatever was thrown. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError || error instanceof UnreachableError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

/** Path segment for ids that may hold any character (charger ids and tags come from the field). */
export const seg = encodeURIComponent;
