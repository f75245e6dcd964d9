import { LocalDateTime } from "@/app/_components/local-date-time";
import { formatPoints } from "@/server/loyalty/points/format-points";
import { formatCount } from "@/app/_lib/format-count";
import type { LoyaltySummaryView } from "./loyalty-outputs";

/** Points available now, earned this week and still valid, and what expires in the next 30 days. */
export function BalanceCards({ summary }: { summary: LoyaltySummaryView }) {
  const expiring = summary.expiringSoon;
  const expiringPoints = expiring.reduce((sum, lot) => sum + lot.points, 0);
  const nearest = expiring[0];
  return (
    <section aria-labelledby="points-balance-heading">
      <h2 id="points-balance-heading" className="sr-only">
        Balance
      </h2>
      <dl className="grid gap-4 sm:grid-cols-3">
        <div className="rounded-2xl bg-brand-900 p-6 text-white">
          <dt className="text-sm font-semibold tracking-wide text-brand-100 uppercase">Available</dt>
          <dd className="mt-1 text-4xl font-bold" data-testid="points-available">
            {formatCount(summary.availablePoints)}{" "}
            <span className="text-base font-semibold text-brand-100">points</span>
          </dd>
        </div>
        <div className="rounded-2xl border border-gray-200 bg-white p-6 shadow-sm">
          <dt className="text-sm font-semibold tracking-wide text-gray-600 uppercase">Earned this week</dt>
          <dd className="mt-1 text-3xl font-bold" data-testid="points-this-week">
            {formatCount(summary.thisWeekPoints)}{" "}
            <span className="text-base font-semibold text-gray-500">still valid</span>
          </dd>
        </div>
        <div
          className={`rounded-2xl border p-6 shadow-sm ${nearest ? "border-amber-300 bg-amber-50" : "border-gray-200 bg-white"}`}
        >
          <dt className="text-sm font-semibold tracking-wide text-gray-600 uppercase">Expiring soon</dt>
          <dd data-testid="points-expiring-soon">
            <span className="mt-1 block text-3xl font-bold">{formatCount(expiringPoints)}</span>
            <span className="mt-1 block text-sm text-gray-700">
              {nearest ? (
                <>
                  {expiring.length > 1 ? "First, " : ""}
                  {formatPoints(nearest.points)} {nearest.points === 1 ? "expires" : "expire"} on{" "}
                  <LocalDateTime date={nearest.expiresAt} format="date" className="font-semibold" />
                </>
              ) : (
                "Nothing expires in the next 30 days."
              )}
            </span>
          </dd>
        </div>
      </dl>
    </section>
  );
}
