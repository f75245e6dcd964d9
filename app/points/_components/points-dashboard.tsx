"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/client";
import { BalanceCards } from "./balance-cards";
import { BalanceChart } from "./balance-chart";
import { CHART_EVENTS, POLL_INTERVAL_MS } from "./dashboard-settings";
import type { LoyaltySummaryView, PointHistoryPageView, PointLotView } from "./loyalty-outputs";
import { LotsTable } from "./lots-table";
import { PointHistory } from "./point-history";
import { RedeemForm } from "./redeem-form";

export type DashboardData = {
  summary: LoyaltySummaryView;
  lots: PointLotView[];
  chartHistory: PointHistoryPageView;
  firstHistoryPage: PointHistoryPageView;
};

/**
 * The points dashboard, kept fresh by polling: points are awarded by the loyalty worker after Retail publishes a
 * purchase, and reach these read models a moment later, so the page asks again every couple of seconds.
 */
export function PointsDashboard({ initial }: { initial: DashboardData }) {
  const trpc = useTRPC();
  const poll = { refetchInterval: POLL_INTERVAL_MS };
  const summary = useQuery(trpc.loyalty.summary.queryOptions(undefined, { initialData: initial.summary, ...poll })).data;
  const lots = useQuery(trpc.loyalty.lots.queryOptions(undefined, { initialData: initial.lots, ...poll })).data;
  const chartHistory = useQuery(
    trpc.loyalty.history.queryOptions({ limit: CHART_EVENTS }, { initialData: initial.chartHistory, ...poll }),
  ).data;
  const expiringSoonIds = new Set(summary.expiringSoon.map((lot) => lot.lotId));

  return (
    <div className="space-y-6">
      {/* Always in the page, so screen readers announce the note when it appears. */}
      <div role="status" aria-live="polite">
        {summary.lag.pendingEvents > 0 && (
          <p className="rounded-lg bg-amber-50 px-3 py-2 text-sm font-medium text-amber-900" data-testid="points-catching-up">
            Your points are catching up… the latest changes will show here in a moment.
          </p>
        )}
      </div>
      <BalanceCards summary={summary} />
      <BalanceChart entries={chartHistory.entries} />
      <div className="grid gap-6 md:grid-cols-[1.5fr_1fr]">
        <LotsTable lots={lots} expiringSoonIds={expiringSoonIds} />
        <RedeemForm availablePoints={summary.availablePoints} />
      </div>
      <PointHistory firstPage={initial.firstHistoryPage} />
    </div>
  );
}
