import { z } from "zod";

export const productSlugInput = z.object({
  slug: z
    .string({ error: "A product slug is required." })
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "That is not a product address.")
    .max(100, "That is not a product address."),
});
