import { getProduct } from "@/server/retail/catalog/get-product";
import { listProducts } from "@/server/retail/catalog/list-products";
import { publicProcedure, router } from "../trpc";
import { productSlugInput } from "./catalog.schema";

export const catalogRouter = router({
  list: publicProcedure.query(() => listProducts()),
  get: publicProcedure.input(productSlugInput).query(({ input }) => getProduct({ slug: input.slug })),
});
