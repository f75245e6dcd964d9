import { z } from "zod";

/** What a checkout saga carries from start to finish; prices are fixed when checkout starts. */
export const checkoutInputSchema = z.object({
  checkoutId: z.uuid(),
  customerId: z.uuid(),
  productId: z.uuid(),
  productName: z.string(),
  quantity: z.number().int().positive(),
  unitPriceCents: z.number().int().positive(),
  amountCents: z.number().int().positive(),
});

export type CheckoutInput = z.infer<typeof checkoutInputSchema>;

/** At most this many unicorns in one checkout: a flash sale is not for resellers. */
export const MAX_UNITS_PER_CHECKOUT = 5;
