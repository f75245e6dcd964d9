/** The short order number shoppers see and quote ("#3F2A9C1B"): the first 8 hex digits of the order's id. */
export function orderNumberOf(orderId: string): string {
  return `#${orderId.replaceAll("-", "").slice(0, 8).toUpperCase()}`;
}
