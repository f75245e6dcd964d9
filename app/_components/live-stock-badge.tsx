"use client";

import { useAvailable } from "@/app/_lib/live-stock";
import { StockBadge } from "./stock-badge";

/** "N left" / "Sold out" as the database says now, on a page that is otherwise the same for everyone. */
export function LiveStockBadge({ slug }: { slug: string }) {
  const available = useAvailable(slug);
  if (available === undefined) {
    return (
      <span className="rounded-full bg-gray-100 px-2.5 py-1 text-sm font-semibold text-gray-500" data-testid="stock-pending">
        Checking stock…
      </span>
    );
  }
  return <StockBadge available={available} />;
}
