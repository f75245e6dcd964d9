import Link from "next/link";
import { LiveStockBadge } from "./_components/live-stock-badge";
import { PriceTag } from "./_components/price-tag";
import { UnicornArt } from "./_components/unicorn-art";
import { LiveStockProvider } from "./_lib/live-stock";
import { shelfProducts } from "./_lib/shelf";

// Prerendered for everyone and renewed in the background at most once a minute; the stock on it is live.
export const revalidate = 60;

/**
 * The catalog: the same page for everyone, prerendered and kept by Next, so the Cyber Monday crowd is served as fast
 * as a static file. What is left of each unicorn is not in it: that follows the database live (LiveStockBadge).
 */
export default async function CatalogPage() {
  const products = await shelfProducts();
  return (
    <div className="space-y-8">
      <section className="rounded-2xl bg-brand-900 px-6 py-8 text-white">
        <p className="text-sm font-semibold tracking-widest text-brand-100 uppercase">Cyber Monday</p>
        <h1 className="mt-1 text-3xl font-bold sm:text-4xl">Unicorns at up to 50% off</h1>
        <p className="mt-2 max-w-xl text-brand-100">
          While stocks last — and they won&apos;t last long. Pay from your prepaid wallet.
        </p>
      </section>

      <LiveStockProvider>
        <ul className="grid gap-6 sm:grid-cols-2 lg:grid-cols-3" aria-label="Unicorns for sale">
          {products.map((product) => (
            <li key={product.slug} data-testid={`product-${product.slug}`}>
              <Link
                href={`/products/${product.slug}`}
                className="block h-full rounded-2xl border border-gray-200 bg-white p-4 shadow-sm transition hover:shadow-md"
              >
                <UnicornArt colour={product.colour} className="aspect-square w-full" />
                <div className="mt-4 flex items-start justify-between gap-2">
                  <h2 className="text-lg font-semibold">{product.name}</h2>
                  <LiveStockBadge slug={product.slug} />
                </div>
                <div className="mt-2">
                  <PriceTag listPriceCents={product.listPriceCents} salePriceCents={product.salePriceCents} />
                </div>
              </Link>
            </li>
          ))}
        </ul>
      </LiveStockProvider>
    </div>
  );
}
