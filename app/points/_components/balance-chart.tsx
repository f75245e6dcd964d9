"use client";

import { Bar, CartesianGrid, ComposedChart, Legend, Line, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import { LocalDateTime, useInBrowser } from "@/app/_components/local-date-time";
import { formatPoints } from "@/server/loyalty/points/format-points";
import { formatCount } from "@/app/_lib/format-count";
import { balanceSeries, pointsAxisTicks, seriesTotals, type BalanceStep } from "./balance-series";
import type { PointHistoryPageView } from "./loyalty-outputs";

const CHART_HEIGHT = 260;
const shortDate = (date: Date) => date.toLocaleDateString("en-US", { month: "short", day: "numeric" });
const fullDate = (date: Date) => date.toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short" });

/**
 * The balance after each change (a step line) over bars of what each change earned, redeemed or let expire. The
 * chart is drawn in the browser only (it measures its container and speaks the reader's time zone); its text
 * alternative is the summary under it and the table of its numbers.
 */
export function BalanceChart({ entries }: { entries: PointHistoryPageView["entries"] }) {
  const steps = balanceSeries(entries);
  return (
    <section aria-labelledby="points-chart-heading" className="rounded-2xl border border-gray-200 bg-white p-6 shadow-sm">
      <h2 id="points-chart-heading" className="text-lg font-semibold">
        Balance over time
      </h2>
      {steps.length === 0 ? (
        <p className="mt-3 text-gray-600">No points yet. Purchases earn points, and they will show up here.</p>
      ) : (
        <>
          <ChartDrawing steps={steps} />
          <ChartSummary steps={steps} />
          <ChartData steps={steps} />
        </>
      )}
    </section>
  );
}

function ChartDrawing({ steps }: { steps: BalanceStep[] }) {
  const inBrowser = useInBrowser();
  if (!inBrowser) return <div className="mt-4" style={{ height: CHART_HEIGHT }} aria-hidden="true" />;
  const first = steps[0]!;
  const last = steps.at(-1)!;
  const label =
    steps.length === 1
      ? `Chart of your points balance: ${formatPoints(last.balance)} since ${fullDate(last.occurredAt)}.`
      : `Chart of your points balance over your last ${steps.length} changes: ` +
        `from ${formatPoints(first.balance)} on ${fullDate(first.occurredAt)} ` +
        `to ${formatPoints(last.balance)} on ${fullDate(last.occurredAt)}.`;
  const data = steps.map((step) => ({ ...step, when: shortDate(step.occurredAt) }));
  const ticks = pointsAxisTicks(steps);
  return (
    <div role="img" aria-label={label} className="mt-4" data-testid="points-chart">
      <ComposedChart
        responsive
        accessibilityLayer={false}
        data={data}
        style={{ width: "100%", height: CHART_HEIGHT }}
        margin={{ top: 8, right: 8, bottom: 0, left: 0 }}
      >
        <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" vertical={false} />
        <XAxis dataKey="when" tick={{ fontSize: 12 }} minTickGap={16} />
        <YAxis tick={{ fontSize: 12 }} width={56} ticks={ticks} domain={[ticks[0]!, ticks.at(-1)!]} interval={0} />
        <ReferenceLine y={0} stroke="#9ca3af" />
        <Tooltip
          formatter={(value, name) => [formatCount(Math.abs(Number(value))), name]}
          labelFormatter={(_label, payload) => {
            const step = payload?.[0]?.payload as BalanceStep | undefined;
            return step ? fullDate(step.occurredAt) : "";
          }}
        />
        <Legend wrapperStyle={{ fontSize: 13 }} />
        <Bar maxBarSize={36} dataKey="earned" name="Earned" stackId="change" fill="#059669" isAnimationActive={false} />
        {steps.some((step) => step.givenBack > 0) && (
          <Bar maxBarSize={36} dataKey="givenBack" name="Given back" stackId="change" fill="#0284c7" isAnimationActive={false} />
        )}
        <Bar maxBarSize={36} dataKey="redeemed" name="Redeemed" stackId="change" fill="#c026d3" isAnimationActive={false} />
        <Bar maxBarSize={36} dataKey="expired" name="Expired" stackId="change" fill="#9ca3af" isAnimationActive={false} />
        <Line
          type="stepAfter"
          dataKey="balance"
          name="Balance"
          stroke="#701a75"
          strokeWidth={2}
          dot={steps.length <= 30}
          isAnimationActive={false}
        />
      </ComposedChart>
    </div>
  );
}

/** The chart in one sentence, for everyone (and first for screen readers, which skip the drawing's details). */
function ChartSummary({ steps }: { steps: BalanceStep[] }) {
  const totals = seriesTotals(steps);
  return (
    <p className="mt-3 text-sm text-gray-700" data-testid="points-chart-summary">
      Over {steps.length === 1 ? "this change" : `these ${steps.length} changes`}: earned {formatCount(totals.earned)},
      redeemed {formatCount(totals.redeemed)},{totals.givenBack > 0 && ` given back ${formatCount(totals.givenBack)},`} expired{" "}
      {formatCount(totals.expired)}; balance now{" "}
      {formatPoints(steps.at(-1)!.balance)}.
    </p>
  );
}

/** The numbers behind the chart, as a table, folded away until asked for. */
function ChartData({ steps }: { steps: BalanceStep[] }) {
  const anyGivenBack = steps.some((step) => step.givenBack > 0);
  return (
    <details className="mt-2 text-sm">
      <summary className="cursor-pointer font-medium text-brand-700">Show the chart as a table</summary>
      <div className="mt-2 max-h-72 overflow-auto">
        <table className="w-full text-left">
          <caption className="sr-only">Each change to your points, oldest first</caption>
          <thead className="text-gray-600">
            <tr>
              <th scope="col" className="py-1 pr-3 font-medium">When</th>
              <th scope="col" className="py-1 pr-3 text-right font-medium">Earned</th>
              {anyGivenBack && <th scope="col" className="py-1 pr-3 text-right font-medium">Given back</th>}
              <th scope="col" className="py-1 pr-3 text-right font-medium">Redeemed</th>
              <th scope="col" className="py-1 pr-3 text-right font-medium">Expired</th>
              <th scope="col" className="py-1 text-right font-medium">Balance</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-gray-100">
            {steps.map((step) => (
              <tr key={step.version}>
                <td className="py-1 pr-3">
                  <LocalDateTime date={step.occurredAt} />
                </td>
                <td className="py-1 pr-3 text-right">{formatCount(step.earned)}</td>
                {anyGivenBack && <td className="py-1 pr-3 text-right">{formatCount(step.givenBack)}</td>}
                <td className="py-1 pr-3 text-right">{formatCount(Math.abs(step.redeemed))}</td>
                <td className="py-1 pr-3 text-right">{formatCount(Math.abs(step.expired))}</td>
                <td className="py-1 text-right font-medium">{formatCount(step.balance)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
