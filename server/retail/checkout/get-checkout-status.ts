import { sql, sqlPool } from "@/server/sql";
import { DomainError } from "@/server/errors";
import { stepStatusShown, type SagaStepView } from "@/server/saga/get-saga-view";
import type { SagaStatus } from "@/server/saga/saga-status";
import { amountToPay, type RedeemPointsOutput } from "./amount-to-pay";
import type { CompleteOrderOutput } from "./complete-order-step";
import { completeOrderStepId, debitWalletStepId, redeemPointsStepId } from "./checkout-steps";
import type { DebitWalletOutput } from "./debit-wallet-step";

export type CheckoutStatus = {
  checkoutId: string;
  status: SagaStatus;
  steps: { step: string; phase: "action" | "compensation"; status: SagaStepView["status"]; attempts: number; error?: string }[];
  orderId?: string;
  failureReason?: string;
  productName: string;
  quantity: number;
  /** The price, before any points. */
  amountCents: number;
  /** The points the shopper asked to use (0: none). */
  pointsRequested: number;
  /** The points Loyalty redeemed for it and what they took off: 0 until it has, and again once they were given back. */
  pointsUsed: number;
  discountCents: number;
  /** What the wallet pays: amountCents − discountCents. */
  paidCents: number;
  /** The points a failed checkout had used and gave back (0 otherwise): pointsUsed is 0 again by then. */
  pointsGivenBack: number;
  /** What a failed checkout that had paid refunded to the wallet (0 otherwise). */
  refundedCents: number;
};

type CheckoutSagaRow = {
  id: string;
  quantity: number;
  amountCents: number;
  pointsRequested: number;
  productName: string;
  status: SagaStatus;
  failureReason: string | null;
  outputs: Record<string, unknown> | null;
  steps: { step: string; phase: "action" | "compensation"; status: StepRowStatus; attempts: number; error: string | null }[];
};
type StepRowStatus = Parameters<typeof stepStatusShown>[0];
type CheckoutSaga = { status: SagaStatus; outputs: Record<string, unknown>; steps: CheckoutStatus["steps"] };

/**
 * Where a checkout stands, for its owner only: anyone else is told it does not exist. One statement (the checkout,
 * its saga and the steps' history, only what the shopper is shown): the checkout page and every follower re-read it
 * on each change, and a flash sale's shoppers ask it again and again.
 */
export async function getCheckoutStatus(options: { customerId: string; checkoutId: string }): Promise<CheckoutStatus> {
  const [row] = await sqlPool.rows<CheckoutSagaRow>(sql`
    SELECT c.id, c.quantity, c.amount_cents AS "amountCents", c.points_requested AS "pointsRequested", p.name AS "productName",
           s.status, s.failure_reason AS "failureReason", s.step_outputs AS outputs,
           COALESCE((
             SELECT json_agg(json_build_object('step', e.step, 'phase', e.phase, 'status', e.status, 'attempts', e.attempts, 'error', e.error)
                    ORDER BY e.started_at, e.phase)
               FROM saga_step_executions e WHERE e.saga_id = s.id), '[]'::json) AS steps
      FROM checkouts c
      JOIN products p ON p.id = c.product_id
      JOIN saga_instances s ON s.id = c.id
     WHERE c.id = ${options.checkoutId}::uuid AND c.customer_id = ${options.customerId}::uuid`);
  if (!row) throw new DomainError("NOT_FOUND", "We couldn't find that checkout.");
  const saga: CheckoutSaga = {
    status: row.status,
    outputs: row.outputs ?? {},
    steps: row.steps.map((step) => ({
      step: step.step,
      phase: step.phase,
      status: stepStatusShown(step.status),
      attempts: step.attempts,
      ...(step.error ? { error: step.error } : {}),
    })),
  };
  const completed = saga.outputs[completeOrderStepId] as CompleteOrderOutput | undefined;
  const { pointsUsed, discountCents, paidCents } = amountToPay(row, pointsStillUsed(saga) ? saga.outputs : {});
  const undone = undoneSoFar(saga);
  return {
    checkoutId: row.id,
    status: saga.status,
    steps: saga.steps,
    ...(completed ? { orderId: completed.orderId } : {}),
    ...(row.failureReason ? { failureReason: row.failureReason } : {}),
    productName: row.productName,
    quantity: row.quantity,
    amountCents: row.amountCents,
    pointsRequested: row.pointsRequested,
    pointsUsed,
    discountCents,
    paidCents,
    ...undone,
  };
}

/** What compensations have given back so far: the points a redemption had used, and the money a debit had taken. */
function undoneSoFar(saga: CheckoutSaga): { pointsGivenBack: number; refundedCents: number } {
  const compensated = (step: string) => saga.steps.some((each) => each.step === step && each.phase === "compensation" && each.status === "succeeded");
  const redeemed = saga.outputs[redeemPointsStepId] as RedeemPointsOutput | undefined;
  const debited = saga.outputs[debitWalletStepId] as DebitWalletOutput | undefined;
  return {
    pointsGivenBack: compensated(redeemPointsStepId) ? (redeemed?.pointsUsed ?? 0) : 0,
    refundedCents: compensated(debitWalletStepId) ? (debited?.debitedCents ?? 0) : 0,
  };
}

/** Redeemed points count until their compensation gave them back. */
function pointsStillUsed(saga: CheckoutSaga): boolean {
  return !saga.steps.some((step) => step.step === redeemPointsStepId && step.phase === "compensation" && step.status === "succeeded");
}
