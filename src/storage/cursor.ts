// Keyset cursors: the sort key of the last item of a page, opaque to clients (base64url JSON).
export class InvalidCursorError extends Error {
  /** A client error: HTTP layers answer 400 with this message. */
  readonly statusCode = 400;
  constructor() {
    super('cursor is not one this server issued (pass back nextCursor unchanged)');
  }
}

export function encodeCursor(key: string | number): string {
  return Buffer.from(JSON.stringify([key])).toString('base64url');
}

export function decodeCursor<T extends 'string' | 'number'>(
  cursor: string | null | undefined,
  type: T,
): (T extends 'string' ? string : number) | null {
  if (!cursor) return null;
  try {
    const [key] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof key === type) return key as T extends 'string' ? string : number;
  } catch {
    // fall through
  }
  throw new InvalidCursorError();
}

/** Fetch limit + 1 rows; the extra one only says whether there is a next page. */
export function toPage<Row, Item>(rows: Row[], limit: number, map: (row: Row) => Item, key: (row: Row) => string | number) {
  const items = rows.slice(0, limit);
  const nextCursor = rows.length > limit ? encodeCursor(key(items[items.length - 1])) : null;
  return { items: items.map(map), nextCursor };
}
