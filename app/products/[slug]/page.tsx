import type { Metadata } from "next";
import Link from "next/link";
import { orNotFound } from "@/app/_lib/or-not-found";
import { getApi, getSignedInCustomer } from "@/app/_trpc/server";
import { PriceTag } from "@/app/_components/price-tag";
import { StockBadge } from "@/app/_components/stock-badge";
import { UnicornArt } from "@/app/_components/unicorn-art";
import { MAX_UNITS_PER_CHECKOUT } from "@/server/retail/checkout/checkout-input";
import { BuyForm } from "./buy-form";

type Props = { params: Promise<{ slug: string }> };

/** The product the address names; a malformed slug is as absent as an unknown one (a 404). */
async function loadProduct(slug: string) {
  return orNotFound((await getApi()).catalog.get({ slug }));
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const product = await loadProduct((await params).slug);
  return { title: product.name };
}

export default async function ProductPage({ params }: Props) {
  const product = await loadProduct((await params).slug);
  const customer = await getSignedInCustomer();
  return (
    <article className="grid gap-6 md:grid-cols-2 md:gap-8">
      <UnicornArt colour={product.colour} className="mx-auto aspect-square w-full max-w-56 sm:max-w-xs md:max-w-md" />
      <div className="space-y-4">
        <Link href="/" className="text-sm font-medium text-brand-700 hover:underline">
          ← All unicorns
        </Link>
        <h1 className="text-3xl font-bold">{product.name}</h1>
        <PriceTag listPriceCents={product.listPriceCents} salePriceCents={product.salePriceCents} size="lg" />
        {/* Sold out is said once, by the Buy form's disabled button, right where the shopper looks. */}
        {product.available > 0 && (
          <div>
            <StockBadge available={product.available} />
          </div>
        )}
        <BuyForm
          productSlug={product.slug}
          salePriceCents={product.salePriceCents}
          available={product.available}
          maxPerOrder={MAX_UNITS_PER_CHECKOUT}
          signedIn={customer !== null}
        />
        <p className="leading-relaxed text-gray-700">{product.description}</p>
      </div>
    </article>
  );
}
