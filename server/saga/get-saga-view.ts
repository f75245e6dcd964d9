import { db } from "@/server/db";
import type { SagaPhase } from "./saga-definition";
import type { SagaStatus } from "./saga-status";

export type SagaStepView = {
  step: string;
  phase: SagaPhase;
  status: "running" | "succeeded" | "retrying" | "failed" | "skipped";
  attempts: number;
  startedAt: Date;
  finishedAt: Date | null;
  error: string | null;
  /** Where the error was thrown; for admins only (callers decide who sees it). */
  errorStack: string | null;
};

export type SagaView = {
  id: string;
  sagaType: string;
  status: SagaStatus;
  currentStep: string | null;
  failureReason: string | null;
  failedStep: string | null;
  outputs: Record<string, unknown>;
  steps: SagaStepView[];
  createdAt: Date;
  finishedAt: Date | null;
};

/** A saga and its step history in the order things happened. */
export async function getSagaView(options: { sagaId: string }): Promise<SagaView | null> {
  const saga = await db.sagaInstance.findUnique({
    where: { id: options.sagaId },
    include: { steps: { orderBy: [{ startedAt: "asc" }, { phase: "asc" }] } },
  });
  if (!saga) return null;
  return {
    id: saga.id,
    sagaType: saga.sagaType,
    status: saga.status,
    currentStep: saga.currentStep,
    failureReason: saga.failureReason,
    failedStep: saga.failedStep,
    outputs: (saga.stepOutputs ?? {}) as Record<string, unknown>,
    steps: saga.steps.map((step) => ({
      step: step.step,
      phase: step.phase,
      status: step.status,
      attempts: step.attempts,
      startedAt: step.startedAt,
      finishedAt: step.finishedAt,
      error: step.error,
      errorStack: step.errorStack,
    })),
    createdAt: saga.createdAt,
    finishedAt: saga.finishedAt,
  };
}
