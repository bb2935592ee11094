// A session told as a series of events (2.x TransactionEvent), folded one event at a time into the one session
// the rest of Voltgate knows. Pure: storage calls it inside the event's commit with the session as stored, so the
// events may come in any order, late (offline) or twice (the second is never folded: storage keeps each seqNo
// once), and still make the same session.
import type { FoldedEvent, IsoTime, SessionFold, SessionState } from '../ports.js';
import { normalizeSample, type Sample } from './energy.js';

/** Until the charger's "started" event arrives, the session's start is the earliest event it has sent. */
export const STARTED_EVENT_MISSING = 'started-event-missing';
/** No token has been presented for the session (yet): it may come in a later event. */
export const NO_TOKEN = 'no-token';
/** The charger gave no register reading to start from: meter start is 0 and the energy is not to be trusted. */
export const METER_START_UNKNOWN = 'meter-start-unknown';

const REGISTER = 'Energy.Active.Import.Register';

/** The whole-meter energy register readings of some samples, in Wh. */
function readings(samples: ReadonlyArray<Sample & { context?: string | null }>): Array<{ at: IsoTime; wh: number; context: string | null }> {
  return samples.flatMap((s) => {
    if (s.measurand !== REGISTER || s.phase) return [];
    const normal = normalizeSample(s.value, s.unit ?? 'Wh');
    return normal && normal.unit === 'Wh' ? [{ at: s.timestamp, wh: normal.value, context: s.context ?? null }] : [];
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
  const read = readings(event.samples);
  for (const reading of read) {
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
  // Ended without an end reading: the stop is the latest register reading, which this event may have changed.
  if (next.stoppedAt !== null && next.meterStopSource !== 'end' && (next.meterStopSource === null || read.length > 0)) {
    next.meterStopWh = null;
    next.meterStopSource = 'reading';
  }
  for (const flag of event.flags) flags.add(flag);
  next.flags = [...flags];
  return next;
}

/** The stop is open until the session's samples are given (stopAtLatestReading). */
export function stopsAtLatestReading(state: SessionState): boolean {
  return state.stoppedAt !== null && state.meterStopSource === 'reading' && state.meterStopWh === null;
}

/** The stop at the latest register reading of all the session's samples (the last given wins a tie), or the start. */
export function stopAtLatestReading(state: SessionState, samples: readonly Sample[]): SessionState {
  let latest: { at: IsoTime; wh: number } | null = null;
  for (const reading of readings(samples)) if (latest === null || reading.at >= latest.at) latest = reading;
  return { ...state, meterStopWh: latest?.wh ?? state.meterStartWh };
}

export const sessionFold: SessionFold = { open: openSession, apply: foldSessionEvent, stopsAtLatestReading, stopAtLatestReading };
