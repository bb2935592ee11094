// Charger timestamps are money: keep the charger's own time, normalised to UTC, and flag what looks wrong
// instead of rejecting it (OCPP 1.6 §3.15; CONFORMANCE 60, 61, 70).

/** How far in the future a charger's clock may be before its records are flagged. */
export const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;
/** Anything before this is a charger that booted without a clock (1970), not a real session time. */
const EARLIEST_PLAUSIBLE = Date.UTC(2010, 0, 1);

export interface ChargerTime {
  /** ISO-8601 UTC with milliseconds. */
  iso: string;
  /** Why the time needs a second look; empty when it is fine. */
  flags: string[];
  /** False for a clock that was never set (1970) or is unreadable: not to be used as a session time. */
  plausible: boolean;
}

const HAS_OFFSET = /(Z|[+-]\d{2}:?\d{2})$/i;

export function normaliseChargerTime(raw: string, now: Date): ChargerTime {
  const flags: string[] = [];
  let text = raw.trim();
  if (!HAS_OFFSET.test(text)) {
    // Local time without an offset: read as UTC, as the spec requires UTC, and say so.
    flags.push('timestamp-without-offset');
    text += 'Z';
  }
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) {
    return { iso: now.toISOString(), flags: [...flags, 'timestamp-unreadable'], plausible: false };
  }
  if (ms > now.getTime() + FUTURE_TOLERANCE_MS) flags.push('timestamp-in-future');
  const plausible = ms >= EARLIEST_PLAUSIBLE;
  if (!plausible) flags.push('timestamp-implausible');
  return { iso: new Date(ms).toISOString(), flags, plausible };
}

export const systemClock = { now: () => new Date() };
