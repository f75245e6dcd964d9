import { db } from "@/server/db";
import { DomainError } from "@/server/errors";
import { findProcessedMessage } from "@/server/loyalty/queries/find-processed-message";
import type { CompleteOrderOutput } from "@/server/retail/checkout/complete-order-step";
import { completeOrderStepId } from "@/server/retail/checkout/checkout-steps";
import { getSagaView, type SagaView } from "@/server/saga/get-saga-view";
import type { SagaEngine } from "@/server/saga/saga-engine";
import { planSagaActions, type SagaActionPlan } from "./saga-action-plan";
import { listAudit, type AuditEntry } from "../audit/list-audit";

export type SagaDetail = SagaView & {
  input: unknown;
  deadlineAt: Date | null;
  nextJobDueAt: Date | null;
  /** While its current step waits for a reply: until when (each step's own wait is in `steps`, awaitingSince …). */
  awaitingReplyUntil: Date | null;
  customer: { id: string; email: string; name: string } | null;
  order: { id: string; totalCents: number; createdAt: Date } | null;
  /** The PurchaseCompleted the order published, and whether Loyalty has acted on it. */
  purchaseEvent: { eventId: string; publishedAt: Date | null; publishAttempts: number; loyaltyProcessedAt: Date | null } | null;
  audit: AuditEntry[];
  /** What each operator action would run now (null for a saga type this engine does not run). */
  actionPlan: SagaActionPlan | null;
};

/**
 * Everything about one saga for the monitor's detail page: its steps in order, input and outputs, the order and
 * customer it concerns, the event it published and whether Loyalty processed it, and what operators did to it.
 * Error stacks go to admins only (`withStacks`). `engine` plans what each operator action would run, as it would.
 */
export async function getSagaDetail(options: {
  sagaId: string;
  withStacks: boolean;
  engine: Pick<SagaEngine, "definitionOf">;
  now: Date;
}): Promise<SagaDetail> {
  const saga = await getSagaView({ sagaId: options.sagaId });
  const row = await db.sagaInstance.findUnique({
    where: { id: options.sagaId },
    select: { input: true, deadlineAt: true, nextJobDueAt: true, awaitingReplyUntil: true },
  });
  if (!saga || !row) throw new DomainError("NOT_FOUND", "There is no saga with that id.");
  const checkout = await db.checkout.findUnique({
    where: { id: saga.id },
    select: { customer: { select: { id: true, email: true, name: true } }, order: { select: { id: true, totalCents: true, createdAt: true } } },
  });
  const completed = saga.outputs[completeOrderStepId] as CompleteOrderOutput | undefined;
  return {
    ...saga,
    steps: saga.steps.map((step) => ({ ...step, errorStack: options.withStacks ? step.errorStack : null })),
    input: row.input,
    deadlineAt: row.deadlineAt,
    nextJobDueAt: row.nextJobDueAt,
    awaitingReplyUntil: row.awaitingReplyUntil,
    customer: checkout?.customer ?? null,
    order: checkout?.order ?? null,
    purchaseEvent: completed?.eventId ? await purchaseEventOf(completed.eventId) : null,
    audit: await listAudit({ targetId: saga.id }),
    actionPlan: actionPlanOf(options, { ...saga, input: row.input, awaitingReplyUntil: row.awaitingReplyUntil }),
  };
}

function actionPlanOf(
  { engine, now }: { engine: Pick<SagaEngine, "definitionOf">; now: Date },
  saga: Parameters<typeof planSagaActions>[0]["saga"] & { sagaType: string },
): SagaActionPlan | null {
  try {
    return planSagaActions({ definition: engine.definitionOf(saga.sagaType), saga, now });
  } catch {
    // A saga of a type (or with an input) this engine does not run: the page then offers words without a plan.
    return null;
  }
}

async function purchaseEventOf(eventId: string): Promise<SagaDetail["purchaseEvent"]> {
  const message = await db.outboxMessage.findUnique({ where: { id: eventId }, select: { publishedAt: true, publishAttempts: true } });
  const processed = await findProcessedMessage({ messageId: eventId });
  return {
    eventId,
    publishedAt: message?.publishedAt ?? null,
    publishAttempts: message?.publishAttempts ?? 0,
    loyaltyProcessedAt: processed?.processedAt ?? null,
  };
}
