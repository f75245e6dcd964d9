import { sql, sqlPool } from "@/server/sql";
import { DomainError } from "@/server/errors";
import { getSagaView, type SagaStepView, type SagaView } from "@/server/saga/get-saga-view";
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

/** Where a checkout stands, for its owner only: anyone else is told it does not exist. */
export async function getCheckoutStatus(options: { customerId: string; checkoutId: string }): Promise<CheckoutStatus> {
  const [checkout] = await sqlPool.rows<{ id: string; quantity: number; amountCents: number; pointsRequested: number; productName: string }>(sql`
    SELECT c.id, c.quantity, c.amount_cents AS "amountCents", c.points_requested AS "pointsRequested", p.name AS "productName"
      FROM checkouts c JOIN products p ON p.id = c.product_id
     WHERE c.id = ${options.checkoutId}::uuid AND c.customer_id = ${options.customerId}::uuid`);
  const saga = checkout && (await getSagaView({ sagaId: checkout.id }));
  if (!checkout || !saga) throw new DomainError("NOT_FOUND", "We couldn't find that checkout.");
  const completed = saga.outputs[completeOrderStepId] as CompleteOrderOutput | undefined;
  const { pointsUsed, discountCents, paidCents } = amountToPay(checkout, pointsStillUsed(saga) ? saga.outputs : {});
  const undone = undoneSoFar(saga);
  return {
    checkoutId: checkout.id,
    status: saga.status,
    steps: saga.steps.map((step) => ({
      step: step.step,
      phase: step.phase,
      status: step.status,
      attempts: step.attempts,
      ...(step.error ? { error: step.error } : {}),
    })),
    ...(completed ? { orderId: completed.orderId } : {}),
    ...(saga.failureReason ? { failureReason: saga.failureReason } : {}),
    productName: checkout.productName,
    quantity: checkout.quantity,
    amountCents: checkout.amountCents,
    pointsRequested: checkout.pointsRequested,
    pointsUsed,
    discountCents,
    paidCents,
    ...undone,
  };
}

/** What compensations have given back so far: the points a redemption had used, and the money a debit had taken. */
function undoneSoFar(saga: SagaView): { pointsGivenBack: number; refundedCents: number } {
  const compensated = (step: string) => saga.steps.some((each) => each.step === step && each.phase === "compensation" && each.status === "succeeded");
  const redeemed = saga.outputs[redeemPointsStepId] as RedeemPointsOutput | undefined;
  const debited = saga.outputs[debitWalletStepId] as DebitWalletOutput | undefined;
  return {
    pointsGivenBack: compensated(redeemPointsStepId) ? (redeemed?.pointsUsed ?? 0) : 0,
    refundedCents: compensated(debitWalletStepId) ? (debited?.debitedCents ?? 0) : 0,
  };
}

/** Redeemed points count until their compensation gave them back. */
function pointsStillUsed(saga: SagaView): boolean {
  return !saga.steps.some((step) => step.step === redeemPointsStepId && step.phase === "compensation" && step.status === "succeeded");
}
