import "server-only";
import { getProduct } from "@/server/retail/catalog/get-product";
import { listProducts } from "@/server/retail/catalog/list-products";
import type { ProductDetail, ProductSummary } from "@/server/retail/catalog/product";
import { productSlugInput } from "@/server/api/routers/catalog.schema";
import { DomainError } from "@/server/errors";

/**
 * The unicorns as the prerendered pages show them: everything but the stock, which changes by the second on Cyber
 * Monday and is followed live on the page instead (app/_lib/live-stock.tsx). Names, prices and pictures change only
 * when the catalog itself does, so the catalog and product pages are rendered once and served to everyone as they are
 * (Next's static rendering, renewed in the background once a minute: `revalidate` on each page).
 */
export type ShelfProduct = Omit<ProductSummary, "id" | "available">;
export type ShelfProductDetail = Omit<ProductDetail, "id" | "available">;

export async function shelfProducts(): Promise<ShelfProduct[]> {
  return (await listProducts()).map(({ id: _id, available: _available, ...product }) => product);
}

/** One unicorn for its page, or null when no unicorn has this slug. */
export async function shelfProduct(slug: string): Promise<ShelfProductDetail | null> {
  // A malformed slug names no unicorn, as an unknown one does.
  if (!productSlugInput.safeParse({ slug }).success) return null;
  try {
    const { id: _id, available: _available, ...product } = await getProduct({ slug });
    return product;
  } catch (error) {
    if (error instanceof DomainError && error.code === "NOT_FOUND") return null;
    throw error;
  }
}
