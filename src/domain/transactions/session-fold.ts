// A session told as a series of events (2.x TransactionEvent), folded one event at a time into the one session
// the rest of Voltgate knows. Pure: storage calls it inside the event's commit with the session as stored, so the
// events may come in any order, late (offline) or twice (the second is never folded: storage keeps each seqNo
// once), and still make the same session.
import type { FoldedEvent, IsoTime, MeterSampleInput, SessionState } from '../ports.js';
import { normalizeSample } from './energy.js';

/** Until the charger's "started" event arrives, the session's start is the earliest event it has sent. */
export const STARTED_EVENT_MISSING = 'started-event-missing';
/** No token has been presented for the session (yet): it may come in a later event. */
export const NO_TOKEN = 'no-token';
/** The charger gave no register reading to start from: meter start is 0 and the energy is not to be trusted. */
export const METER_START_UNKNOWN = 'meter-start-unknown';

const REGISTER = 'Energy.Active.Import.Register';

/** The whole-meter energy register readings of an event, in Wh. */
function readings(samples: readonly MeterSampleInput[]): Array<{ at: IsoTime; wh: number; context: string | null }> {
  return samples.flatMap((s) => {
    if (s.measurand !== REGISTER || s.phase) return [];
    const normal = normalizeSample(s.value, s.unit ?? 'Wh');
    return normal && normal.unit === 'Wh' ? [{ at: s.timestamp, wh: normal.value, context: s.context }] : [];
  });
}

/** The session as its first event (of any kind) makes it. */
export function openSession(event: FoldedEvent): SessionState {
  return foldSessionEvent(
    {
      connectorId: event.connectorId ?? 0,
      evseId: event.evseId,
      idTag: '',
      idTokenType: null,
      authorizationStatus: 'Accepted',
      startedAt: event.timestamp,
      meterStartWh: 0,
      meterStartSource: 'none',
      meterStartAt: null,
      lastReadingWh: null,
      lastReadingAt: null,
      meterStopWh: null,
      meterStopSource: null,
      stoppedAt: null,
      stopReason: null,
      stopIdTag: null,
      chargingState: null,
      triggerReason: null,
      flags: [STARTED_EVENT_MISSING, NO_TOKEN, METER_START_UNKNOWN],
    },
    event,
  );
}

export function foldSessionEvent(state: SessionState, event: FoldedEvent): SessionState {
  const next: SessionState = { ...state, flags: [...state.flags] };
  const flags = new Set(next.flags);
  if (event.type === 'started') {
    next.startedAt = event.timestamp;
    flags.delete(STARTED_EVENT_MISSING);
  } else if (flags.has(STARTED_EVENT_MISSING) && event.timestamp < next.startedAt) {
    next.startedAt = event.timestamp;
  }
  // The first token presented is the session's, with the answer it got (a later one ends it, or re-authorizes).
  if (event.token && flags.has(NO_TOKEN)) {
    next.idTag = event.token.idTag;
    next.idTokenType = event.token.type;
    next.authorizationStatus = event.token.status;
    flags.delete(NO_TOKEN);
    if (event.token.status !== 'Accepted') flags.add(`tag-${event.token.status.toLowerCase()}`);
  }
  if (next.evseId === null && event.evseId !== null) next.evseId = event.evseId;
  if (next.connectorId === 0 && event.connectorId !== null) next.connectorId = event.connectorId;
  for (const reading of readings(event.samples)) {
    const begins = reading.context === 'Transaction.Begin';
    const earlier = next.meterStartAt === null || reading.at < next.meterStartAt;
    if ((begins && (next.meterStartSource !== 'begin' || earlier)) || (!begins && next.meterStartSource !== 'begin' && earlier)) {
      next.meterStartWh = reading.wh;
      next.meterStartAt = reading.at;
      next.meterStartSource = begins ? 'begin' : 'reading';
      flags.delete(METER_START_UNKNOWN);
    }
    if (reading.context === 'Transaction.End') {
      next.meterStopWh = reading.wh;
      next.meterStopSource = 'end';
    }
    if (next.lastReadingAt === null || reading.at >= next.lastReadingAt) {
      next.lastReadingWh = reading.wh;
      next.lastReadingAt = reading.at;
    }
  }
  // A late event from before the end tells nothing about the state the session ended in.
  const current = next.stoppedAt === null || event.type === 'ended';
  if (current && event.chargingState !== null) next.chargingState = event.chargingState;
  if (current) next.triggerReason = event.triggerReason;
  if (event.type === 'ended' && next.stoppedAt === null) {
    next.stoppedAt = event.timestamp;
    next.stopReason = event.stopReason;
    next.stopIdTag = event.token?.idTag ?? null;
  }
  if (next.stoppedAt !== null && next.meterStopSource !== 'end') {
    next.meterStopWh = next.lastReadingWh ?? next.meterStartWh;
    next.meterStopSource = 'reading';
  }
  for (const flag of event.flags) flags.add(flag);
  next.flags = [...flags];
  return next;
}
