import type { Metadata } from "next";
import { requireCustomer } from "@/app/_lib/require-customer";
import { getApi } from "@/app/_trpc/server";
import { CHART_EVENTS, HISTORY_PAGE_SIZE } from "./_components/dashboard-settings";
import { PointsDashboard } from "./_components/points-dashboard";

export const metadata: Metadata = { title: "Your points" };

/** The signed-in customer's loyalty points: balance, how it moved, the lots and when they expire, the history. */
export default async function PointsPage() {
  await requireCustomer("/points");
  const api = await getApi();
  const [summary, lots, chartHistory, firstHistoryPage] = await Promise.all([
    api.loyalty.summary(),
    api.loyalty.lots(),
    api.loyalty.history({ limit: CHART_EVENTS }),
    api.loyalty.history({ limit: HISTORY_PAGE_SIZE }),
  ]);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Your points</h1>
      <PointsDashboard initial={{ summary, lots, chartHistory, firstHistoryPage }} />
    </div>
  );
}
