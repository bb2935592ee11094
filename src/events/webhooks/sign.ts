// HMAC-SHA256 of the exact body bytes, hex: webhooks and the operator's authorizer sign the same way, so a
// receiver verifies both with one function.
import { createHmac } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-voltgate-signature';
export const EVENT_HEADER = 'x-voltgate-event';

export function signBody(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body, 'utf8').digest('hex');
}
