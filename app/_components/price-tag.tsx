import { discountPercent, formatCents } from "@/server/retail/money";

/** Sale price, with the list price struck through and the saving, as shoppers expect on Cyber Monday. */
export function PriceTag({
  listPriceCents,
  salePriceCents,
  size = "md",
}: {
  listPriceCents: number;
  salePriceCents: number;
  size?: "md" | "lg";
}) {
  const percent = discountPercent(listPriceCents, salePriceCents);
  return (
    <p className="flex flex-wrap items-baseline gap-x-2">
      <span className={size === "lg" ? "text-3xl font-bold text-gray-900" : "text-xl font-bold text-gray-900"}>
        <span className="sr-only">Cyber Monday price </span>
        {formatCents(salePriceCents)}
      </span>
      {percent > 0 && (
        <>
          <s className="text-gray-500">
            <span className="sr-only">was </span>
            {formatCents(listPriceCents)}
          </s>
          <span className="rounded-full bg-rose-100 px-2 py-0.5 text-xs font-semibold text-rose-700">−{percent}%</span>
        </>
      )}
    </p>
  );
}
