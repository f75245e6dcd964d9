import type { SagaStatus } from "@/server/saga/saga-status";

/**
 * Each checkout's status in the orders list, in the shopper's words and colour (never colour alone): what the saga
 * engine calls compensated is an order that didn't go through; needs attention is one our team has.
 */
export const PURCHASE_STATUS: Record<SagaStatus, { label: string; className: string }> = {
  running: { label: "In progress", className: "bg-brand-100 text-brand-900" },
  completed: { label: "Confirmed", className: "bg-emerald-100 text-emerald-800" },
  compensating: { label: "Being put back", className: "bg-amber-100 text-amber-900" },
  compensated: { label: "Didn't go through", className: "bg-gray-200 text-gray-800" },
  needs_attention: { label: "With our team", className: "bg-amber-100 text-amber-900" },
};

/** Where a row of the list leads: a confirmed order's page, or the checkout page that says what became of it. */
export function purchaseHref(purchase: { checkoutId: string; orderId: string | null }): string {
  return purchase.orderId ? `/orders/${purchase.orderId}` : `/checkout/${purchase.checkoutId}`;
}
