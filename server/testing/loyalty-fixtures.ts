import { randomUUID } from "node:crypto";
import { saveCampaignRule } from "@/server/loyalty/rules/campaign-rule-store";
import { seededCampaignRules } from "@/server/loyalty/rules/seeded-campaign-rules";
import { saveRedemptionRule } from "@/server/loyalty/rules/redemption-rule-store";
import { SEEDED_REDEMPTION_RULE } from "@/server/loyalty/rules/seeded-redemption-rule";
import type { PurchaseCompleted } from "@/server/retail/checkout/purchase-completed";
import { sqlPool } from "@/server/sql";

/** A moment outside the seeded Cyber Monday double-points window, so a $120 purchase earns 100 points. */
export const BEFORE_CYBER_MONDAY = new Date("2026-11-26T12:00:00Z");
export const ON_CYBER_MONDAY = new Date("2026-11-30T18:00:00Z");

/** Saves the seeded campaign rules (100 points from $100; double points on Cyber Monday) and redemption rule. */
export async function saveSeededRules(): Promise<void> {
  for (const rule of seededCampaignRules()) await saveCampaignRule(sqlPool, rule, rule.id);
  await saveRedemptionRule(sqlPool, SEEDED_REDEMPTION_RULE);
}

/** A PurchaseCompleted as Retail's outbox publishes it. */
export function purchaseCompleted(options: {
  customerId: string;
  amountCents?: number;
  occurredAt?: Date;
}): PurchaseCompleted {
  const amountCents = options.amountCents ?? 12_000;
  return {
    eventId: randomUUID(),
    type: "PurchaseCompleted",
    orderId: randomUUID(),
    customerId: options.customerId,
    amountCents,
    items: [{ productId: randomUUID(), name: "Classic Unicorn", quantity: 1, unitPriceCents: amountCents }],
    occurredAt: (options.occurredAt ?? BEFORE_CYBER_MONDAY).toISOString(),
  };
}
