// Shared shapes of every port: statuses, times, pages, the clock and the log.

export type RegistrationStatus = 'Accepted' | 'Pending' | 'Rejected';

export type IdTagStatus = 'Accepted' | 'Blocked' | 'Expired' | 'Invalid';

/** What we answer in idTagInfo.status (OCPP 1.6 AuthorizationStatus). */
export type AuthorizationStatus = IdTagStatus | 'ConcurrentTx';

/** All times crossing these interfaces are ISO-8601 UTC strings with milliseconds: 2026-01-02T03:04:05.000Z. */
export type IsoTime = string;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageQuery {
  limit: number;
  cursor?: string | null;
}

export interface Clock {
  now(): Date;
}

/** Where the domain's background work logs (pino satisfies it). */
export interface Log {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}
