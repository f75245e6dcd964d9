import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { shelfProduct, shelfProducts } from "@/app/_lib/shelf";
import { LiveStockProvider } from "@/app/_lib/live-stock";
import { PriceTag } from "@/app/_components/price-tag";
import { UnicornArt } from "@/app/_components/unicorn-art";
import { MAX_UNITS_PER_CHECKOUT } from "@/server/retail/checkout/checkout-input";
import { BuyForm } from "./buy-form";

// Prerendered for everyone and renewed in the background at most once a minute; the stock on it is live.
export const revalidate = 60;

type Props = { params: Promise<{ slug: string }> };

/** Every unicorn's page is prerendered; one added later is rendered on its first visit and kept from then on. */
export async function generateStaticParams() {
  return (await shelfProducts()).map((product) => ({ slug: product.slug }));
}

async function loadProduct(slug: string) {
  return (await shelfProduct(slug)) ?? notFound();
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const product = await loadProduct((await params).slug);
  return { title: product.name };
}

/**
 * A unicorn's page, the same for everyone and served prerendered. The stock, and whether the visitor is signed in,
 * are filled in by the Buy form in the browser, live.
 */
export default async function ProductPage({ params }: Props) {
  const product = await loadProduct((await params).slug);
  return (
    <article className="grid gap-6 md:grid-cols-2 md:gap-8">
      <UnicornArt colour={product.colour} className="mx-auto aspect-square w-full max-w-56 sm:max-w-xs md:max-w-md" />
      <div className="space-y-4">
        <Link href="/" className="text-sm font-medium text-brand-700 hover:underline">
          ← All unicorns
        </Link>
        <h1 className="text-3xl font-bold">{product.name}</h1>
        <PriceTag listPriceCents={product.listPriceCents} salePriceCents={product.salePriceCents} size="lg" />
        <LiveStockProvider>
          <BuyForm
            productSlug={product.slug}
            salePriceCents={product.salePriceCents}
            maxPerOrder={Math.min(MAX_UNITS_PER_CHECKOUT, product.maxPerCustomer ?? MAX_UNITS_PER_CHECKOUT)}
            limitedPerCustomer={product.maxPerCustomer !== null}
          />
        </LiveStockProvider>
        <p className="leading-relaxed text-gray-700">{product.description}</p>
      </div>
    </article>
  );
}
