/**
 * The redemption a checkout's points make, named after the checkout: one per checkout, whoever asks and however
 * often (the checkout id is unique across customers, like a lot id).
 */
export function checkoutRedemptionId(checkoutId: string): string {
  return `checkout:${checkoutId}`;
}

/** What caused a checkout command's events (loyalty_point_events.caused_by). */
export function checkoutCommandCause(checkoutId: string, kind: "redeem" | "restore"): string {
  return `checkout:${checkoutId}:${kind}`;
}
