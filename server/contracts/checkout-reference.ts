/**
 * The short reference shoppers see for a checkout ("3F2A9C1E", the first 8 hex digits of its id): the checkout page
 * shows it, and Loyalty's history names the checkout points were used at or given back from. Published language of
 * both contexts, so it has no imports.
 */
export function checkoutReferenceOf(checkoutId: string): string {
  return checkoutId.replaceAll("-", "").slice(0, 8).toUpperCase();
}
