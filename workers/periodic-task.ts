import { logger } from "@/server/logger";
import type { Closeable } from "./run-worker-process";

export type PeriodicTask = Closeable & {
  /** Runs the task now rather than at its next tick; if it is running, once more as soon as it is done. */
  runSoon(): void;
};

/**
 * Runs `task` every `intervalMs`, never two runs at once (a slow run delays the next instead of piling up). A failing
 * run is logged and the next one tries again. close() stops the timer and waits for a run in progress.
 */
export function startPeriodicTask(name: string, intervalMs: number, task: () => Promise<unknown>): PeriodicTask {
  let stopped = false;
  let running: Promise<void> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let soon: NodeJS.Immediate | undefined;

  const tick = () => {
    clearTimeout(timer);
    if (soon) clearImmediate(soon);
    soon = undefined;
    if (running) {
      again = true;
      return;
    }
    again = false;
    running = task()
      .then(() => undefined)
      .catch((error: unknown) => logger.error({ err: error, task: name }, "Periodic task failed"))
      .finally(() => {
        running = null;
        if (stopped) return;
        if (again) runSoon();
        else timer = setTimeout(tick, intervalMs);
      });
  };
  // However often it is asked for, one run is started (or one more after the current one).
  const runSoon = () => {
    if (stopped) return;
    if (running) again = true;
    else soon ??= setImmediate(tick);
  };
  timer = setTimeout(tick, intervalMs);

  return {
    runSoon,
    async close() {
      stopped = true;
      clearTimeout(timer);
      if (soon) clearImmediate(soon);
      await running;
    },
  };
}
