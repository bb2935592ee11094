// Why a simulated charger's CALL failed, in the few kinds a fault report tells apart.
import { CallError, CallTimeoutError, ConnectionClosedError } from '../ocpp/rpc/errors.js';

export interface CallFailure {
  /** callerror: the CSMS answered a CALLERROR; timeout: no answer in time; closed: the connection was gone or went. */
  kind: 'callerror' | 'timeout' | 'closed' | 'other';
  /** The CALLERROR code (InternalError, …), or the error's own code for the other kinds. */
  code: string;
}

export function describeFailure(error: unknown): CallFailure {
  if (error instanceof CallError) return { kind: 'callerror', code: error.code };
  if (error instanceof CallTimeoutError) return { kind: 'timeout', code: error.code };
  if (error instanceof ConnectionClosedError) return { kind: 'closed', code: error.code };
  const code = (error as { code?: unknown } | null)?.code;
  return { kind: 'other', code: typeof code === 'string' ? code : error instanceof Error ? error.name : 'Error' };
}
