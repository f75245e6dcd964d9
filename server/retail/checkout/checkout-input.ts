import { z } from "zod";

/** At most this many loyalty points towards one checkout: Loyalty's own bound on one event, never reached in practice. */
export const MAX_POINTS_PER_CHECKOUT = 1_000_000;

/** What a checkout saga carries from start to finish; prices are fixed when checkout starts. */
export const checkoutInputSchema = z.object({
  checkoutId: z.uuid(),
  customerId: z.uuid(),
  productId: z.uuid(),
  productName: z.string(),
  quantity: z.number().int().positive(),
  unitPriceCents: z.number().int().positive(),
  amountCents: z.number().int().positive(),
  /** Points the shopper asked to pay part of it with; 0 (and sagas started before points) runs no points step. */
  pointsToUse: z.number().int().min(0).max(MAX_POINTS_PER_CHECKOUT).default(0),
});

export type CheckoutInput = z.infer<typeof checkoutInputSchema>;

/** At most this many unicorns in one checkout: a flash sale is not for resellers. */
export const MAX_UNITS_PER_CHECKOUT = 5;
