// The remote commands of the charger page. Each button waits for the charger's answer and shows it
// (or the API's error message) in one result line, then lets the page refresh its history.
import { useEffect, useState } from 'preact/hooks';
import { api, describeError, seg } from '../api/client';
import type { ChargePoint, Transaction } from '../api/types';
import { formatConnector } from '../lib/format';

interface Props {
  charger: ChargePoint;
  activeSessions: Transaction[];
  onCommandDone: () => void;
}

interface Outcome {
  command: string;
  text: string;
  ok: boolean;
}

type Answer = { status?: string } & Record<string, unknown>;

/** The same command in each dialect's words: 2.0.1 names EVSEs, and resets OnIdle or Immediate. */
const RESET_TYPES = { 'ocpp2.0.1': ['OnIdle', 'Immediate'], 'ocpp1.6': ['Soft', 'Hard'] } as const;

export function ChargerCommands({ charger, activeSessions, onCommandDone }: Props) {
  const base = `/charge-points/${seg(charger.id)}`;
  const v201 = charger.protocol === 'ocpp2.0.1';
  // A connector is chosen as "<evse>:<connector>" in 2.0.1 and by its number in 1.6.
  const targets = charger.connectors
    .filter((c) => (v201 ? (c.evseId ?? 0) > 0 : c.connectorId > 0))
    .map((c) => ({ value: v201 ? `${c.evseId}:${c.connectorId}` : String(c.connectorId), label: v201 ? `EVSE ${c.evseId} · connector ${c.connectorId}` : `Connector ${c.connectorId}` }));
  const connectorIds = targets.map((t) => t.value);
  const resetTypes = RESET_TYPES[v201 ? 'ocpp2.0.1' : 'ocpp1.6'];
  const [startConnector, setStartConnector] = useState('');
  const [startTag, setStartTag] = useState('');
  const [stopTransaction, setStopTransaction] = useState('');
  const [resetType, setResetType] = useState<string>(resetTypes[0]);
  const [unlockConnector, setUnlockConnector] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  // Keep the selects on a real choice as connectors and sessions come and go.
  useEffect(() => {
    const first = connectorIds[0] ?? '';
    if (!connectorIds.includes(startConnector)) setStartConnector(first);
    if (!connectorIds.includes(unlockConnector)) setUnlockConnector(first);
    if (!(resetTypes as readonly string[]).includes(resetType)) setResetType(resetTypes[0]);
  }, [connectorIds.join(','), charger.protocol]);
  const where = (value: string) => {
    const [evseId, connectorId] = value.split(':').map(Number);
    return v201 ? { evseId, connectorId } : { connectorId: Number(value) };
  };
  useEffect(() => {
    if (!activeSessions.some((s) => String(s.id) === stopTransaction)) setStopTransaction(activeSessions[0] ? String(activeSessions[0].id) : '');
  }, [activeSessions.map((s) => s.id).join(',')]);

  async function run(command: string, call: () => Promise<Answer>, describe: (answer: Answer) => string = statusText) {
    setBusy(command);
    setOutcome({ command, text: 'Waiting for the charger…', ok: true });
    try {
      const answer = await call();
      setOutcome({ command, text: describe(answer), ok: answer.status === undefined || answer.status === 'Accepted' });
    } catch (error) {
      setOutcome({ command, text: describeError(error), ok: false });
    } finally {
      setBusy(null);
      onCommandDone();
    }
  }

  const remoteStart = () =>
    run(
      'Remote start',
      () =>
        api.post(`${base}/remote-start`, {
          idTag: startTag.trim(),
          ...(startConnector ? (v201 ? { evseId: where(startConnector).evseId } : { connectorId: Number(startConnector) }) : {}),
        }),
      (a) => `${a.status}${a.detail ? ` (${String(a.detail)})` : ''} · start request ${String(a.startRequestId ?? '—')}`,
    );
  const remoteStop = () => run('Remote stop', () => api.post(`${base}/remote-stop`, { transactionId: Number(stopTransaction) }));
  const reset = () => run(`Reset (${resetType})`, () => api.post(`${base}/ocpp/Reset`, { type: resetType }));
  const unlock = () => run('Unlock connector', () => api.post(`${base}/ocpp/UnlockConnector`, where(unlockConnector)));
  const pushList = () =>
    run('Push local list', () => api.post(`${base}/local-list`, { updateType: 'Full' }), (a) =>
      `${a.status} · list version ${String(a.listVersion)} · ${String(a.entries ?? '?')} entries${a.omitted ? `, ${String(a.omitted)} omitted` : ''}`,
    );
  const clearCache = () => run('Clear cache', () => api.post(`${base}/clear-cache`));

  const disabled = busy !== null;
  return (
    <div class="card">
      <h2>Commands</h2>
      {!charger.connected ? <p class="notice">The charger is offline: commands will be refused until it reconnects.</p> : null}
      <div class="command-grid">
        <form class="command" onSubmit={(e) => (e.preventDefault(), remoteStart())}>
          <h3>Remote start</h3>
          <label>
            Connector
            <select data-testid="remote-start-connector" value={startConnector} onChange={(e) => setStartConnector(e.currentTarget.value)}>
              {targets.length === 0 ? <option value="">any</option> : null}
              {targets.map((t) => <option key={t.value} value={t.value}>{t.label}</option>)}
            </select>
          </label>
          <label>
            ID tag
            <input data-testid="remote-start-idtag" value={startTag} onInput={(e) => setStartTag(e.currentTarget.value)} placeholder="e.g. 04A2B3C4" required />
          </label>
          <button type="submit" data-testid="remote-start" class="primary" disabled={disabled}>Start</button>
        </form>

        <form class="command" onSubmit={(e) => (e.preventDefault(), remoteStop())}>
          <h3>Remote stop</h3>
          <label>
            Active session
            <select data-testid="remote-stop-transaction" value={stopTransaction} onChange={(e) => setStopTransaction(e.currentTarget.value)}>
              {activeSessions.length === 0 ? <option value="">no active session</option> : null}
              {activeSessions.map((s) => (
                <option key={s.id} value={String(s.id)}>
                  #{s.id} · {formatConnector(s.evseId, s.connectorId)} · {s.idTag}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" data-testid="remote-stop" disabled={disabled || !stopTransaction}>Stop</button>
        </form>

        <form class="command" onSubmit={(e) => (e.preventDefault(), reset())}>
          <h3>Reset</h3>
          <label>
            Type
            <select data-testid="reset-type" value={resetType} onChange={(e) => setResetType(e.currentTarget.value)}>
              {resetTypes.map((type) => <option key={type} value={type}>{type}</option>)}
            </select>
          </label>
          <button type="submit" data-testid="reset" disabled={disabled}>Reset</button>
        </form>

        <form class="command" onSubmit={(e) => (e.preventDefault(), unlock())}>
          <h3>Unlock connector</h3>
          <label>
            Connector
            <select data-testid="unlock-connector" value={unlockConnector} onChange={(e) => setUnlockConnector(e.currentTarget.value)}>
              {targets.map((t) => <option key={t.value} value={t.value}>{t.label}</option>)}
            </select>
          </label>
          <button type="submit" data-testid="unlock" disabled={disabled || !unlockConnector}>Unlock</button>
        </form>

        <div class="command">
          <h3>Authorization</h3>
          <p class="muted small">Send the whole whitelist to the charger, or empty its authorization cache.</p>
          <div class="button-row">
            <button type="button" data-testid="push-local-list" disabled={disabled} onClick={pushList}>Push local list</button>
            <button type="button" data-testid="clear-cache" disabled={disabled} onClick={clearCache}>Clear cache</button>
          </div>
        </div>
      </div>
      <p class={`command-result ${outcome ? (outcome.ok ? 'ok' : 'failed') : 'muted'}`} data-testid="command-result" aria-live="polite">
        {outcome ? `${outcome.command}: ${outcome.text}` : 'The charger’s answer to a command appears here.'}
      </p>
    </div>
  );
}

function statusText(answer: Answer): string {
  if (answer.status !== undefined) return String(answer.status);
  return JSON.stringify(answer);
}
