// What every OCPP dialect's map (ocpp/v16, and the ones after it) gives the gateway: the operator's intents as
// its own messages, and the charger's answers back in the domain's words.
import type { ChargerIntent, IntentAnswers, IntentKind, IntentOf } from '../domain/ports.js';

/** One message of the dialect: its action and payload, as they go on the wire. */
export interface EncodedIntent {
  action: string;
  payload: unknown;
}

export interface DialectIntents {
  encode(intent: ChargerIntent): EncodedIntent;
  /** The charger's answer (already checked against the dialect's response schema) in the domain's words. */
  decode<K extends IntentKind>(intent: IntentOf<K>, answer: unknown): IntentAnswers[K];
}

/** The dialect has no message for this intent: nothing was sent. */
export class IntentNotExpressibleError extends Error {
  constructor(
    readonly protocol: string,
    readonly intent: string,
  ) {
    super(`${protocol} has no message for ${intent}`);
    this.name = 'IntentNotExpressibleError';
  }
}
