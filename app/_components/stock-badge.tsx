/** "5 left" / "Sold out": scarcity is the story of the day, so it is always visible. */
export function StockBadge({ available }: { available: number }) {
  if (available <= 0) {
    return <span className="rounded-full bg-gray-200 px-2.5 py-1 text-sm font-semibold text-gray-700">Sold out</span>;
  }
  const low = available <= 5;
  return (
    <span
      className={`rounded-full px-2.5 py-1 text-sm font-semibold ${low ? "bg-amber-100 text-amber-800" : "bg-emerald-100 text-emerald-800"}`}
    >
      {available} left
    </span>
  );
}
