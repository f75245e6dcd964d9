import type { PurchaseCompleted } from "@/server/retail/checkout/purchase-completed";
import { sqlPool } from "@/server/sql";
import { handlePointCommand, type HandledCommand } from "./event-store/handle-point-command";
import { lotExpiresAt } from "./points/lot-lifetime";
import { listEnabledCampaignRules } from "./rules/campaign-rule-store";
import { evaluateCampaignRules } from "./rules/evaluate-campaign-rules";

/**
 * Loyalty's answer to Retail's PurchaseCompleted: the campaign rules active when the purchase happened decide the
 * points, which become a lot expiring `lotLifetimeDays` later. The event id is the message id and the lot id, so
 * the same event delivered any number of times awards its points once.
 */
export async function awardPurchasePoints(options: {
  purchase: PurchaseCompleted;
  lotLifetimeDays: number;
  now: Date;
}): Promise<HandledCommand> {
  const { purchase } = options;
  const earnedAt = new Date(purchase.occurredAt);
  const rules = await listEnabledCampaignRules(sqlPool);
  const { points, ruleIds } = evaluateCampaignRules(rules, { amountCents: purchase.amountCents, occurredAt: earnedAt });
  return handlePointCommand({
    customerId: purchase.customerId,
    messageId: purchase.eventId,
    now: options.now,
    command: {
      type: "EarnPoints",
      data: {
        lotId: purchase.eventId,
        orderId: purchase.orderId,
        ...(purchase.checkoutId ? { checkoutId: purchase.checkoutId } : {}),
        points,
        ruleIds,
        earnedAt,
        expiresAt: lotExpiresAt(earnedAt, options.lotLifetimeDays),
      },
    },
  });
}
