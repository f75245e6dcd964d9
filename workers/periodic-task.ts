import { logger } from "@/server/logger";
import type { Closeable } from "./run-worker-process";

/**
 * Runs `task` every `intervalMs`, never two runs at once (a slow run delays the next instead of piling up). A failing
 * run is logged and the next one tries again. close() stops the timer and waits for a run in progress.
 */
export function startPeriodicTask(name: string, intervalMs: number, task: () => Promise<unknown>): Closeable {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;

  const tick = () => {
    running = task()
      .then(() => undefined)
      .catch((error: unknown) => logger.error({ err: error, task: name }, "Periodic task failed"))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  timer = setTimeout(tick, intervalMs);

  return {
    async close() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
