// The domain's rules that storage applies inside a commit (a stop's energy, how events make a session), in one
// module: SQLite's thread imports it to apply them itself, as the event loop does (storage/sqlite-thread-ops.ts).
import { settleStopEnergy } from './energy.js';
import { sessionFold } from './session-fold.js';

export { settleStopEnergy, sessionFold };

/** The rules with the module that exports them, as storage's thread takes them (ThreadRules). */
export const storageRules = { module: import.meta.url, settleStopEnergy, sessionFold };
