import { env } from "@/server/env";
import { DomainError } from "@/server/errors";
import { adjustPoints } from "@/server/loyalty/adjust-points";
import { findCustomerByEmail } from "@/server/retail/customers/find-customer";
import { ADJUST_POINTS_ACTION } from "../audit/audit-actions";
import { recordAudit, type AuditActor } from "../audit/record-audit";

/**
 * An admin gives a customer points or takes some back, with a reason. The audit line is written in the same
 * transaction as the points change, so neither exists without the other; a repeated request (same key) is recorded
 * as a repeat.
 */
export async function adjustCustomerPoints(options: {
  customerEmail: string;
  points: number;
  reason: string;
  idempotencyKey: string;
  actor: AuditActor;
}): Promise<{ customerId: string; adjustedPoints: number; repeated: boolean }> {
  const customer = await findCustomerByEmail({ email: options.customerEmail });
  if (!customer) throw new DomainError("NOT_FOUND", "There is no customer with that email.", { field: "customerEmail" });
  const change = options.points > 0 ? `Gave ${options.points} points to` : `Took ${-options.points} points from`;
  const result = await adjustPoints({
    customerId: customer.id,
    points: options.points,
    reason: options.reason,
    adjustedBy: options.actor.email,
    idempotencyKey: options.idempotencyKey,
    lotLifetimeDays: env.LOYALTY_LOT_LIFETIME_DAYS,
    now: new Date(),
    record: (tx, { repeated }) =>
      recordAudit(
        {
          actor: options.actor,
          action: ADJUST_POINTS_ACTION,
          targetId: customer.id,
          outcome: `${repeated ? "Repeated request, nothing changed: " : ""}${change} ${customer.email} (${options.reason.trim()}).`,
        },
        tx,
      ),
  });
  return { customerId: customer.id, ...result };
}
