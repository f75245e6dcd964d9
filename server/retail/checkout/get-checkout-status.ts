import { sql, sqlPool } from "@/server/sql";
import { DomainError } from "@/server/errors";
import { getSagaView, type SagaStepView } from "@/server/saga/get-saga-view";
import type { SagaStatus } from "@/server/saga/saga-status";
import type { CompleteOrderOutput } from "./complete-order-step";
import { completeOrderStepId } from "./checkout-steps";

export type CheckoutStatus = {
  checkoutId: string;
  status: SagaStatus;
  steps: { step: string; phase: "action" | "compensation"; status: SagaStepView["status"]; attempts: number; error?: string }[];
  orderId?: string;
  failureReason?: string;
  productName: string;
  quantity: number;
  amountCents: number;
};

/** Where a checkout stands, for its owner only: anyone else is told it does not exist. */
export async function getCheckoutStatus(options: { customerId: string; checkoutId: string }): Promise<CheckoutStatus> {
  const [checkout] = await sqlPool.rows<{ id: string; quantity: number; amountCents: number; productName: string }>(sql`
    SELECT c.id, c.quantity, c.amount_cents AS "amountCents", p.name AS "productName"
      FROM checkouts c JOIN products p ON p.id = c.product_id
     WHERE c.id = ${options.checkoutId}::uuid AND c.customer_id = ${options.customerId}::uuid`);
  const saga = checkout && (await getSagaView({ sagaId: checkout.id }));
  if (!checkout || !saga) throw new DomainError("NOT_FOUND", "We couldn't find that checkout.");
  const completed = saga.outputs[completeOrderStepId] as CompleteOrderOutput | undefined;
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
  };
}
