// Security profile 1 (HTTP Basic auth on the WebSocket handshake): each charger's password is kept only as
// a salted hash. Charger passwords are machine-generated keys of 16 to 40 characters (OCPP security
// whitepaper; OCPP 2.0.1 BasicAuthPassword), not human passwords, so a salted SHA-256 suffices and keeps
// a reconnect storm of thousands of chargers cheap to verify.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const digest = (salt: Buffer, password: string) => createHash('sha256').update(salt).update(password, 'utf8').digest();

export function hashChargerPassword(password: string): string {
  const salt = randomBytes(16);
  return `sha256$${salt.toString('base64url')}$${digest(salt, password).toString('base64url')}`;
}

export function verifyChargerPassword(password: string, stored: string): boolean {
  const [scheme, salt, hash] = stored.split('$');
  if (scheme !== 'sha256' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = digest(Buffer.from(salt, 'base64url'), password);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
