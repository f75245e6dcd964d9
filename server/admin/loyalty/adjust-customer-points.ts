import { env } from "@/server/env";
import { DomainError } from "@/server/errors";
import { adjustPoints } from "@/server/loyalty/adjust-points";
import { findCustomerByEmail } from "@/server/retail/customers/find-customer";
import { recordAudit, type AuditActor } from "../audit/record-audit";

/**
 * An admin gives a customer points or takes some back, with a reason. The points change is its own transaction in
 * Loyalty; the audit line follows it, and a repeated request (same key) is recorded as a repeat.
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
  const result = await adjustPoints({
    customerId: customer.id,
    points: options.points,
    reason: options.reason,
    adjustedBy: options.actor.email,
    idempotencyKey: options.idempotencyKey,
    lotLifetimeDays: env.LOYALTY_LOT_LIFETIME_DAYS,
    now: new Date(),
  });
  const change = options.points > 0 ? `Gave ${options.points} points to` : `Took ${-options.points} points from`;
  await recordAudit({
    actor: options.actor,
    action: "adjust-points",
    targetId: customer.id,
    outcome: `${result.repeated ? "Repeated request, nothing changed: " : ""}${change} ${customer.email} (${options.reason.trim()}).`,
  });
  return { customerId: customer.id, ...result };
}
