import "@/app/_lib/zod-in-the-browser";
import { pointsCommandSchema, pointsReplySchema } from "@/server/contracts/checkout-points-messages";
import { formatPoints } from "@/server/loyalty/points/format-points";
import { formatCents } from "@/server/retail/money";

/**
 * The messages a checkout step exchanged with Loyalty (server/contracts/checkout-points-messages.ts), in one line
 * each for the monitor; null for anything else (another saga's messages are shown as JSON only).
 */

/** "Redeem 250 points towards $120.00" / "Restore what checkout 3f2a9c1b redeemed". */
export function commandWords(message: unknown): string | null {
  const parsed = pointsCommandSchema.safeParse(message);
  if (!parsed.success) return null;
  const command = parsed.data;
  switch (command.type) {
    case "RedeemPointsForCheckout":
      return `Redeem ${formatPoints(command.points)} towards ${formatCents(command.amountCents)}`;
    case "RestorePointsForCheckout":
      return "Restore whatever this checkout redeemed";
  }
}

/** "Redeemed 250 points from 1 lot: $12.50 off" / "Refused: …" / "Restored 250 points" / "Nothing to restore". */
export function replyWords(reply: unknown): string | null {
  const parsed = pointsReplySchema.safeParse(reply);
  if (!parsed.success) return null;
  const answer = parsed.data;
  switch (answer.type) {
    case "PointsRedeemedForCheckout": {
      const lots = answer.lots.length === 1 ? "1 lot" : `${answer.lots.length} lots`;
      return `Redeemed ${formatPoints(answer.points)} from ${lots}: ${formatCents(answer.discountCents)} off`;
    }
    case "PointsRedemptionRefused":
      return `Refused: ${answer.reason}`;
    case "PointsRestoredForCheckout":
      return answer.points > 0 ? `Restored ${formatPoints(answer.points)}` : "Nothing to restore: no points had been redeemed";
  }
}
