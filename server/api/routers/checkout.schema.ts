import { z } from "zod";
import { storableText } from "@/server/safe-input";
import { MAX_POINTS_PER_CHECKOUT, MAX_UNITS_PER_CHECKOUT } from "@/server/retail/checkout/checkout-input";
import { productSlugInput } from "./catalog.schema";
import { idempotencyKeySchema } from "./wallet.schema";

export const startCheckoutInput = z.object({
  productSlug: productSlugInput.shape.slug,
  quantity: z
    .number({ error: "Choose how many unicorns to buy." })
    .int("Unicorns come whole: choose a whole number.")
    .min(1, "Choose at least 1 unicorn.")
    .max(MAX_UNITS_PER_CHECKOUT, `At most ${MAX_UNITS_PER_CHECKOUT} unicorns per order on Cyber Monday.`),
  idempotencyKey: idempotencyKeySchema,
  /** Loyalty points to pay part of it with; 0 or absent: none. */
  pointsToUse: z
    .number({ error: "Choose how many points to use." })
    .int("Points come whole: choose a whole number.")
    .min(0, "Points to use cannot be negative.")
    .max(MAX_POINTS_PER_CHECKOUT, `At most ${MAX_POINTS_PER_CHECKOUT.toLocaleString("en-US")} points on one order.`)
    .optional(),
});

export const checkoutIdInput = z.object({
  checkoutId: z.uuid({ error: "That is not a checkout reference." }),
});

/**
 * Following a checkout live: the same checkout id as `status`. `lastEventId` is added by tRPC's client (and by the
 * browser's EventSource, as a header) when a stream reconnects: the id of the last status it received.
 */
export const followCheckoutInput = checkoutIdInput.extend({
  lastEventId: z.string().max(100).refine(...storableText).nullish(),
});

export const orderIdInput = z.object({
  orderId: z.uuid({ error: "That is not an order number." }),
});
