import { logger } from "@/server/logger";
import type { SagaPhase } from "./saga-definition";
import type { SagaStatus } from "./saga-status";

/**
 * What the engine tells whoever watches it (the metrics: server/metrics/saga-metrics.ts), each call made after the
 * change it reports has COMMITTED, so that a batch rolled back and run again step by step is counted once. A port:
 * the engine knows nothing of Prometheus. Calls are synchronous and cheap; a throwing observer is logged, never
 * allowed to stop a saga.
 */
export type SagaObserver = {
  sagaStarted?(sagaType: string): void;
  /** A saga's status after a committed change (a step done, a failure, a cancellation). */
  sagaMoved?(sagaType: string, status: SagaStatus): void;
  /** A step's own run time (its action, compensation or reply handler), inside its transaction, not counting waits. */
  stepRan?(run: { sagaType: string; step: string; phase: SagaPhase; seconds: number }): void;
};

/** The observer with every call guarded (and a no-op where none is given). */
export function guardedObserver(observer: SagaObserver | undefined): Required<SagaObserver> {
  const log = logger.child({ component: "saga-engine" });
  const guard = (run: (watcher: SagaObserver) => void) => {
    if (!observer) return;
    try {
      run(observer);
    } catch (error) {
      log.warn({ err: error }, "The saga observer failed");
    }
  };
  return {
    sagaStarted: (sagaType) => guard((watcher) => watcher.sagaStarted?.(sagaType)),
    sagaMoved: (sagaType, status) => guard((watcher) => watcher.sagaMoved?.(sagaType, status)),
    stepRan: (run) => guard((watcher) => watcher.stepRan?.(run)),
  };
}
