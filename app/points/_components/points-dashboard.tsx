"use client";

import { useQuery } from "@tanstack/react-query";
import { useSendToSignInWhenSignedOut } from "@/app/_lib/use-signed-in-customer";
import { useTRPC } from "@/app/_trpc/client";
import { BalanceCards } from "./balance-cards";
import { BalanceChart } from "./balance-chart";
import { CHART_EVENTS, POLL_INTERVAL_MS } from "./dashboard-settings";
import { LotsTable } from "./lots-table";
import { PointHistory } from "./point-history";
import { UseAtCheckout } from "./use-at-checkout";

/**
 * The points dashboard. The page around it is the same for everyone (served as a file, so a busy shop answers it as
 * fast as the catalog); the customer's own points come from the API in the browser, and are kept fresh by polling:
 * points are awarded by the loyalty worker after Retail publishes a purchase, and reach these read models a moment
 * later, so the page asks again every couple of seconds. Someone no longer signed in is sent to sign in.
 */
export function PointsDashboard() {
  const trpc = useTRPC();
  useSendToSignInWhenSignedOut("/points");
  const poll = { refetchInterval: POLL_INTERVAL_MS };
  const summary = useQuery(trpc.loyalty.summary.queryOptions(undefined, poll)).data;
  const lots = useQuery(trpc.loyalty.lots.queryOptions(undefined, poll)).data;
  const chartHistory = useQuery(trpc.loyalty.history.queryOptions({ limit: CHART_EVENTS }, poll)).data;
  if (!summary || !lots || !chartHistory) {
    return (
      <p role="status" className="rounded-2xl border border-gray-200 bg-white p-6 text-gray-600 shadow-sm">
        Loading your points…
      </p>
    );
  }
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
        <UseAtCheckout availablePoints={summary.availablePoints} />
      </div>
      <PointHistory />
    </div>
  );
}
