import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getApi, isTRPCErrorCode } from "@/app/_trpc/server";
import { PriceTag } from "@/app/_components/price-tag";
import { StockBadge } from "@/app/_components/stock-badge";
import { UnicornArt } from "@/app/_components/unicorn-art";

type Props = { params: Promise<{ slug: string }> };

async function loadProduct(slug: string) {
  try {
    return await (await getApi()).catalog.get({ slug });
  } catch (error) {
    // A malformed slug is as absent as an unknown one.
    if (isTRPCErrorCode(error, "NOT_FOUND") || isTRPCErrorCode(error, "BAD_REQUEST")) notFound();
    throw error;
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const product = await loadProduct((await params).slug);
  return { title: product.name };
}

export default async function ProductPage({ params }: Props) {
  const product = await loadProduct((await params).slug);
  return (
    <article className="grid gap-8 md:grid-cols-2">
      <UnicornArt colour={product.colour} className="aspect-square w-full max-w-md" />
      <div className="space-y-4">
        <Link href="/" className="text-sm font-medium text-brand-700 hover:underline">
          ← All unicorns
        </Link>
        <h1 className="text-3xl font-bold">{product.name}</h1>
        <PriceTag listPriceCents={product.listPriceCents} salePriceCents={product.salePriceCents} size="lg" />
        <StockBadge available={product.available} />
        <p className="leading-relaxed text-gray-700">{product.description}</p>
      </div>
    </article>
  );
}
