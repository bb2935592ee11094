// Decisions made before a socket opens: who the charger says it is (URL), which subprotocol it gets,
// and the Basic credentials it presented. Pure functions; server.ts turns refusals into HTTP answers.
import type { BasicCredentials } from '../../domain/ports.js';

/** OCPP-J 1.6 §3.1.1 / Part 4 §3.1.1: the identity is at most 48 characters. */
export const MAX_IDENTITY_LENGTH = 48;

export type IdentityResult = { ok: true; identity: string } | { ok: false; reason: string };

// Control characters and the characters that would make an identity ambiguous in a URL or a log line.
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u001f\u007f/\\:]/;

/** The percent-decoded last path segment under `prefix`, or why it is refused. */
export function parseIdentity(pathname: string, prefix = '/ocpp/'): IdentityResult {
  const path = pathname.split('?', 1)[0];
  if (!path.startsWith(prefix)) return { ok: false, reason: `path must start with ${prefix}` };
  const raw = path.slice(prefix.length);
  // A raw slash means a deeper path; an encoded one (%2F) is caught after decoding.
  if (raw.includes('/')) return { ok: false, reason: 'identity must be a single path segment' };
  if (raw.length === 0) return { ok: false, reason: 'identity is empty' };
  let identity: string;
  try {
    identity = decodeURIComponent(raw);
  } catch {
    return { ok: false, reason: 'identity has bad percent-encoding' };
  }
  if (identity.length === 0) return { ok: false, reason: 'identity is empty' };
  if (identity.length > MAX_IDENTITY_LENGTH) return { ok: false, reason: `identity is longer than ${MAX_IDENTITY_LENGTH} characters` };
  if (identity === '.' || identity.includes('..')) return { ok: false, reason: 'identity may not contain ..' };
  if (FORBIDDEN.test(identity)) return { ok: false, reason: 'identity contains a forbidden character' };
  return { ok: true, identity };
}

/**
 * The subprotocol to answer with, in the server's preference order (Part 4 §3.2), or null to refuse.
 * A charger that offers none gets `defaultWhenNone` (real 1.6 chargers omit the header).
 */
export function selectSubprotocol(offered: readonly string[], supported: readonly string[], defaultWhenNone: string | null): string | null {
  if (offered.length === 0) return defaultWhenNone;
  for (const protocol of supported) {
    if (offered.includes(protocol)) return protocol;
  }
  return null;
}

/** The offered subprotocols from a Sec-WebSocket-Protocol header value (comma separated). */
export function parseOfferedProtocols(header: string | string[] | undefined): string[] {
  if (header === undefined) return [];
  const text = Array.isArray(header) ? header.join(',') : header;
  return text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

/**
 * Username and password of an `Authorization: Basic …` header, or null when absent or malformed. A password of 16
 * to 20 bytes comes with its bytes in hex too: some 1.6 chargers take their AuthorizationKey (40 hex characters)
 * for the bytes it spells and send those (domain/chargers/password.ts).
 */
export function parseBasicAuth(header: string | undefined): BasicCredentials | null {
  if (!header) return null;
  const match = /^\s*basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match) return null;
  const decoded = Buffer.from(match[1], 'base64');
  const colon = decoded.indexOf(0x3a);
  if (colon < 0) return null;
  const password = decoded.subarray(colon + 1);
  return {
    username: decoded.subarray(0, colon).toString('utf8'),
    password: password.toString('utf8'),
    ...(password.length >= 16 && password.length <= 20 ? { passwordHex: password.toString('hex') } : {}),
  };
}
