import { z } from "zod";

/**
 * Retail's published event: a purchase is final. The Loyalty context learns about purchases only from this event
 * (via the outbox), never from Retail's tables. Consumers de-duplicate on `eventId`.
 */
export const purchaseCompletedSchema = z.object({
  eventId: z.uuid(),
  type: z.literal("PurchaseCompleted"),
  orderId: z.uuid(),
  /** The checkout that became the order: its number is the one the shopper reads everywhere (orderNumberOfCheckout). Absent from events published before it was added. */
  checkoutId: z.uuid().optional(),
  customerId: z.uuid(),
  amountCents: z.number().int().positive(),
  items: z.array(
    z.object({
      productId: z.uuid(),
      name: z.string(),
      quantity: z.number().int().positive(),
      unitPriceCents: z.number().int().positive(),
    }),
  ),
  occurredAt: z.iso.datetime(),
});

export type PurchaseCompleted = z.infer<typeof purchaseCompletedSchema>;
