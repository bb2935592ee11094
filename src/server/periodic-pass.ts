// A background pass run soon after start and then on an interval, one at a time: a pass asked for while one runs
// runs once more after it (`again`), or is folded into it.
export interface PeriodicPass {
  /** Runs a pass now, or joins the one running. */
  pass(): Promise<void>;
  stop(): Promise<void>;
}

export function startPeriodicPass(run: () => Promise<void>, timing: { firstMs: number; intervalMs: number; again?: boolean }): PeriodicPass {
  let running: Promise<void> | null = null;
  let askedAgain = false;
  const pass = (): Promise<void> => {
    if (running) {
      if (timing.again) askedAgain = true;
      return running;
    }
    running = run().finally(() => {
      running = null;
      if (askedAgain) {
        askedAgain = false;
        void pass();
      }
    });
    return running;
  };
  const first = setTimeout(() => void pass(), timing.firstMs);
  const timer = setInterval(() => void pass(), timing.intervalMs);
  first.unref();
  timer.unref();
  return {
    pass,
    async stop() {
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}
