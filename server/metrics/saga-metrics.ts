import type { SagaObserver } from "@/server/saga/saga-observer";
import { isFinished } from "@/server/saga/saga-status";
import { sagasEnded, sagasStarted, stepDuration } from "./shared-metrics";

/** The saga engine's observer that counts into the shared figures (published to Redis by each process). */
export const sagaMetrics: SagaObserver = {
  sagaStarted: (sagaType) => sagasStarted.inc({ saga_type: sagaType }),
  sagaMoved: (sagaType, status) => {
    if (isFinished(status)) sagasEnded.inc({ saga_type: sagaType, status });
  },
  stepRan: ({ sagaType, step, phase, seconds }) => stepDuration.observe({ saga_type: sagaType, step, phase }, seconds),
};
