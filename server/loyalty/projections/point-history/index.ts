import { formatPoints } from "@/server/loyalty/points/format-points";
import type { PointEvent, PointEventType } from "@/server/loyalty/points/point-events";
import type { StoredPointEvent } from "@/server/loyalty/points/stored-point-event";
import { orderNumberOf, orderNumberOfCheckout } from "@/server/retail/orders/order-number";
import { pointsDeltaOf } from "../points-delta";

/**
 * Read model: a customer's points history, one row per event in stream order, in plain words. `balanceAfter` is the
 * balance as the available-balance projection counts it (expiry counts when LotExpired is recorded).
 */
export type PointHistoryRow = {
  customerId: string;
  eventId: string;
  version: number;
  type: PointEventType;
  /** Signed: + earned or credited, − redeemed, expired or deducted. */
  pointsDelta: number;
  balanceAfter: number;
  occurredAt: Date;
  description: string;
};

/** The history row for one event, given the balance just before it. */
function pointHistoryRowOf(stored: StoredPointEvent, balanceBefore: number): PointHistoryRow {
  const pointsDelta = pointsDeltaOf(stored.event);
  return {
    customerId: stored.streamId,
    eventId: stored.eventId,
    version: stored.version,
    type: stored.event.type,
    pointsDelta,
    balanceAfter: balanceBefore + pointsDelta,
    occurredAt: stored.occurredAt,
    description: describePointEvent(stored.event),
  };
}

/** The end of a customer's history: all that the next row needs. */
export type PointHistoryTail = Pick<PointHistoryRow, "version" | "balanceAfter">;

/**
 * The projection's fold step: the row one stored event adds after the customer's `last` one (null: none yet), or
 * null when the history already has it (a redelivery: same version or older). Rows are only ever added, so a fold
 * keeps just the last one and a table inserts just the new ones.
 */
export function evolvePointHistory(last: PointHistoryTail | null, stored: StoredPointEvent): PointHistoryRow | null {
  if (last && stored.version <= last.version) return null;
  return pointHistoryRowOf(stored, last?.balanceAfter ?? 0);
}

/**
 * "Earned 100 points for order #3F2A9C1E", "Redeemed 50 points", "Used 250 points on order #3F2A9C1E", "Points
 * given back: order #3F2A9C1E", "40 points expired", "Added 25 points: …". A purchase is named by its checkout's number,
 * the one the shopper reads on the checkout, the order, the orders list and the wallet (orderNumberOfCheckout); a lot
 * earned before purchases carried their checkout keeps its order's.
 */
export function describePointEvent(event: PointEvent): string {
  switch (event.type) {
    case "PointsEarned":
      return `Earned ${formatPoints(event.data.points)} for order ${event.data.checkoutId ? orderNumberOfCheckout(event.data.checkoutId) : orderNumberOf(event.data.orderId)}`;
    case "PointsRedeemed":
      return event.data.checkoutId === undefined
        ? `Redeemed ${formatPoints(event.data.points)}`
        : `Used ${formatPoints(event.data.points)} on order ${orderNumberOfCheckout(event.data.checkoutId)}`;
    case "PointsRestored":
      return event.data.checkoutId === undefined
        ? `Points given back: ${formatPoints(event.data.points)}`
        : `Points given back: order ${orderNumberOfCheckout(event.data.checkoutId)}`;
    case "LotExpired":
      return `${formatPoints(event.data.points)} expired`;
    case "PointsAdjusted":
      return event.data.points > 0
        ? `Added ${formatPoints(event.data.points)}: ${event.data.reason}`
        : `Deducted ${formatPoints(-event.data.points)}: ${event.data.reason}`;
  }
}
