// Every call sent to a charger, whoever sent it (the API's commands, remote start and stop, local lists),
// kept with its answer or failure: a transport around the real one, below the dialect's encoding, so the
// history shows the messages as they went on the wire and no sender has to remember. A password sent to a charger
// (ocpp/secrets.ts) is kept as [redacted].
import { ChargerCallError, ChargerNotConnectedError, ChargerTimeoutError } from '../domain/commands/errors.js';
import type { Clock, CommandLogRepository, CommandOutcome, Log } from '../domain/ports.js';
import type { ChargerTransport } from './gateway.js';
import { withoutSecrets } from '../ocpp/secrets.js';

/** Answers whose status means the charger said no (the *Status enumerations of OCPP 1.6 §7 and 2.0.1). */
const REFUSALS = new Set(['Rejected', 'Failed', 'NotSupported', 'NotImplemented', 'UnlockFailed', 'VersionMismatch', 'UnknownMessageId']);

function outcomeOf(answer: unknown): CommandOutcome {
  const status = (answer as { status?: unknown } | null)?.status;
  return typeof status === 'string' && REFUSALS.has(status) ? 'rejected' : 'ok';
}

function failureOf(error: unknown): { status: CommandOutcome; errorCode: string; errorMessage: string } {
  const errorMessage = error instanceof Error ? error.message : String(error);
  if (error instanceof ChargerTimeoutError) return { status: 'timeout', errorCode: 'Timeout', errorMessage };
  if (error instanceof ChargerCallError) return { status: 'error', errorCode: error.code, errorMessage };
  if (error instanceof ChargerNotConnectedError) return { status: 'error', errorCode: 'NotConnected', errorMessage };
  return { status: 'error', errorCode: 'InternalError', errorMessage };
}

export class RecordingTransport implements ChargerTransport {
  constructor(
    private readonly inner: ChargerTransport,
    private readonly log: Pick<CommandLogRepository, 'record'>,
    private readonly clock: Clock,
    private readonly logger: Log,
  ) {}

  async call(chargePointId: string, action: string, payload: unknown, options?: { timeoutMs?: number }): Promise<unknown> {
    const requestedAt = this.clock.now();
    const started = performance.now();
    const finish = async (result: { answer: unknown; status: CommandOutcome; errorCode: string | null; errorMessage: string | null }) => {
      // Recorded before the caller hears the answer, so the history it reads next has it; a failed write
      // loses the history line, never the command's answer.
      await this.log
        .record({ chargePointId, action, payload: withoutSecrets(action, payload), ...result, requestedAt: requestedAt.toISOString(), answeredAt: this.clock.now().toISOString(), durationMs: performance.now() - started })
        .catch((error: unknown) => this.logger.warn({ err: error, chargePointId, action }, 'could not record a command'));
    };
    let answer: unknown;
    try {
      answer = await this.inner.call(chargePointId, action, payload, options);
    } catch (error) {
      await finish({ answer: null, ...failureOf(error) });
      throw error;
    }
    await finish({ answer, status: outcomeOf(answer), errorCode: null, errorMessage: null });
    return answer;
  }
}
