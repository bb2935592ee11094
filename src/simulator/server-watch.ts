// Keeps an eye on the CSMS process the bench started: a fault run must say so when the server died
// (and how), keep measuring what it can, and not wait forever to stop a process that is already gone.
import type { ServerProcess } from './server-process.js';

export interface ServerExit {
  exitCode: number | null;
  signal: string | null;
  /** performance.now() when it exited. */
  atMs: number;
}

export interface ServerFate {
  running: boolean;
  exitCode: number | null;
  signal: string | null;
  /** Seconds into the measured window (negative: before it began). */
  exitedAtS: number | null;
  /** It exited between the fault's start and the database being back. */
  exitedDuringFault: boolean;
}

export function describeExit(exit: { exitCode: number | null; signal: string | null }): string {
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.exitCode}`;
}

export interface ServerWatch {
  readonly exit: ServerExit | null;
  /** Stops the server unless it already exited; its own SIGTERM here is not reported as an exit. */
  stop(): Promise<void>;
}

export function watchServer(server: ServerProcess, onExit: (exit: ServerExit) => void): ServerWatch {
  let exit: ServerExit | null = null;
  const listener = (exitCode: number | null, signal: NodeJS.Signals | null) => {
    exit = { exitCode, signal, atMs: performance.now() };
    onExit(exit);
  };
  server.child.once('exit', listener);
  return {
    get exit() {
      return exit;
    },
    async stop() {
      server.child.off('exit', listener);
      // A process killed by a signal has no exit code: ServerProcess.stop() would wait for an exit already past.
      if (exit || server.child.exitCode !== null || server.child.signalCode !== null) return;
      await server.stop();
    },
  };
}
