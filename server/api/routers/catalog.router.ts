import { getProduct } from "@/server/retail/catalog/get-product";
import { listProducts } from "@/server/retail/catalog/list-products";
import { readStockLevels } from "@/server/retail/catalog/stock-levels";
import { followStockLevels } from "@/server/runtime/follow-stock-levels";
import { publicProcedure, router } from "../trpc";
import { productSlugInput } from "./catalog.schema";

export const catalogRouter = router({
  list: publicProcedure.query(() => listProducts()),
  get: publicProcedure.input(productSlugInput).query(({ input }) => getProduct({ slug: input.slug })),
  /** What is available of each unicorn now, by slug: what a cached page asks when its live stream is unavailable. */
  stock: publicProcedure.query(() => readStockLevels()),
  /** The same levels pushed (SSE): at once, then on every change. The catalog and product pages follow it. */
  onStock: publicProcedure.subscription(({ signal }) => followStockLevels(signal)),
});
