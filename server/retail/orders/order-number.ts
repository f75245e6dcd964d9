/**
 * The short order number shoppers see and quote ("#3F2A9C1B"): the first 8 hex digits of an id. Part of Retail's
 * published language (Loyalty's history names the order a purchase earned points for), so it has no imports: pages,
 * Retail and Loyalty all read this one rule.
 */
export function orderNumberOf(orderId: string): string {
  return `#${orderId.replaceAll("-", "").slice(0, 8).toUpperCase()}`;
}

/**
 * The number a shopper reads for one purchase everywhere (the checkout page, the order, the orders list, the wallet):
 * its checkout's, because a checkout has it from the first click, whether or not it ever becomes an order.
 */
export function orderNumberOfCheckout(checkoutId: string): string {
  return orderNumberOf(checkoutId);
}
