import { db } from "@/server/db";
import { CHECKOUT_SAGA_TYPE } from "@/server/retail/checkout/checkout-saga";
import type { CheckoutStepId } from "@/server/retail/checkout/checkout-steps";

/**
 * Faults for the checkout saga's steps, as rows of `saga_faults` (read by worker processes running with SHOP_MODE=test
 * on every delivery of a step job; see server/saga/saga-faults.ts).
 */

export type FaultPhase = "action" | "compensation";

type FaultTarget = { step: CheckoutStepId; phase?: FaultPhase };
/** How many deliveries it fires on; unset = every delivery. */
type Remaining = { remaining?: number };

/** The step throws a non-retryable error: the saga compensates at once (or, for a compensation, needs attention). */
export function failPermanently(target: FaultTarget & Remaining) {
  return insertFault({ ...target, kind: "fail_permanently", delayMs: 0 });
}

/** The step throws a retryable error on the next `remaining` deliveries. */
export function failTransiently(target: FaultTarget & { remaining: number }) {
  return insertFault({ ...target, kind: "fail_transiently", delayMs: 0 });
}

/** The delivery waits `delayMs` before the step's transaction begins (nothing is written yet). */
export function delayBefore(target: FaultTarget & Remaining & { delayMs: number }) {
  return insertFault({ ...target, kind: "delay_before" });
}

/** The delivery waits `delayMs` after the step's transaction committed, before the next step is scheduled. */
export function delayAfterCommit(target: FaultTarget & Remaining & { delayMs: number }) {
  return insertFault({ ...target, kind: "delay_after_commit" });
}

async function insertFault(fault: {
  step: CheckoutStepId;
  phase?: FaultPhase;
  kind: "fail_permanently" | "fail_transiently" | "delay_before" | "delay_after_commit";
  remaining?: number;
  delayMs: number;
}): Promise<{ id: string }> {
  return db.sagaFault.create({
    data: {
      sagaType: CHECKOUT_SAGA_TYPE,
      step: fault.step,
      phase: fault.phase ?? "action",
      kind: fault.kind,
      remaining: fault.remaining ?? null,
      delayMs: fault.delayMs,
    },
    select: { id: true },
  });
}

/** Removes every injected fault. */
export async function clearSagaFaults(): Promise<void> {
  await db.sagaFault.deleteMany({});
}

/** How many more times a fault fires (null: every time). */
export async function remainingOf(fault: { id: string }): Promise<number | null> {
  const row = await db.sagaFault.findUniqueOrThrow({ where: { id: fault.id }, select: { remaining: true } });
  return row.remaining;
}
