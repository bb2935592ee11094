// The secrets an operator sends a charger inside an OCPP call: a new password, as 1.6 ChangeConfiguration
// AuthorizationKey or 2.x SetVariables SecurityCtrlr.BasicAuthPassword. They reach the charger, and nowhere else:
// the command history and the frame log keep the call with the value replaced.
export const REDACTED = '[redacted]';

const PASSWORD_KEYS = new Set(['authorizationkey']);
const PASSWORD_VARIABLES = new Set(['basicauthpassword']);

/** The call's payload as it may be kept: the same object when it holds no secret. */
export function withoutSecrets(action: string, payload: unknown): unknown {
  if (action === 'ChangeConfiguration') {
    const change = payload as { key?: unknown; value?: unknown } | null;
    if (typeof change?.key === 'string' && PASSWORD_KEYS.has(change.key.toLowerCase())) return { ...change, value: REDACTED };
    return payload;
  }
  if (action === 'SetVariables') {
    const data = (payload as { setVariableData?: unknown } | null)?.setVariableData;
    if (!Array.isArray(data)) return payload;
    const secret = (item: { variable?: { name?: unknown } }) => typeof item?.variable?.name === 'string' && PASSWORD_VARIABLES.has(item.variable.name.toLowerCase());
    if (!data.some(secret)) return payload;
    return { ...(payload as object), setVariableData: data.map((item) => (secret(item) ? { ...item, attributeValue: REDACTED } : item)) };
  }
  return payload;
}

/** A frame as the debug log may show it: a CALL carrying a secret has it replaced. */
export function frameWithoutSecrets(text: string): string {
  if (!/AuthorizationKey|BasicAuthPassword/i.test(text)) return text;
  try {
    const frame = JSON.parse(text) as unknown[];
    if (Array.isArray(frame) && frame[0] === 2 && typeof frame[2] === 'string') return JSON.stringify([frame[0], frame[1], frame[2], withoutSecrets(frame[2], frame[3])]);
  } catch {
    // Not JSON: shown as a mention only.
  }
  return '[a frame naming a password, not shown]';
}
