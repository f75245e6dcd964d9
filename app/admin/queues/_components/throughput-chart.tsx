"use client";

import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { useInBrowser } from "@/app/_components/local-date-time";
import { AdminPanel } from "../../_components/admin-panel";
import { throughputSentence, throughputTotals, type SagaMinuteView, type ThroughputTotals } from "./throughput-summary";

const CHART_HEIGHT = 240;
const clock = (date: Date) => date.toLocaleTimeString("en-US", { hour: "numeric", minute: "2-digit" });

/**
 * Sagas completed and compensated per minute over the last hour, stacked. Drawn in the browser only (it measures its
 * container and speaks the reader's time zone); its text alternative is the sentence under it and its label.
 */
export function ThroughputChart({ minutes }: { minutes: SagaMinuteView[] }) {
  const totals = throughputTotals(minutes);
  return (
    <AdminPanel id="throughput-heading" title="Sagas finished per minute">
      <ThroughputDrawing minutes={minutes} totals={totals} />
      <p className="text-sm text-gray-700" data-testid="throughput-summary">
        {throughputSentence(totals)}
      </p>
    </AdminPanel>
  );
}

function ThroughputDrawing({ minutes, totals }: { minutes: SagaMinuteView[]; totals: ThroughputTotals }) {
  const inBrowser = useInBrowser();
  if (!inBrowser || minutes.length === 0) return <div style={{ height: CHART_HEIGHT }} aria-hidden="true" />;
  const label =
    `Chart of sagas finished per minute from ${clock(minutes[0]!.minute)} to ${clock(minutes.at(-1)!.minute)}: ` +
    `${totals.completed} completed, ${totals.compensated} compensated` +
    (totals.busiest ? `; busiest at ${clock(totals.busiest.minute)} with ${totals.busiest.finished}.` : ".");
  const data = minutes.map((row) => ({ ...row, when: clock(row.minute) }));
  return (
    <div role="img" aria-label={label} data-testid="throughput-chart">
      <BarChart responsive accessibilityLayer={false} data={data} style={{ width: "100%", height: CHART_HEIGHT }} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" vertical={false} />
        <XAxis dataKey="when" tick={{ fontSize: 12 }} minTickGap={24} />
        <YAxis tick={{ fontSize: 12 }} width={40} allowDecimals={false} />
        <Tooltip />
        <Legend wrapperStyle={{ fontSize: 13 }} />
        <Bar dataKey="completed" name="Completed" stackId="finished" fill="#059669" isAnimationActive={false} />
        <Bar dataKey="compensated" name="Compensated" stackId="finished" fill="#be123c" isAnimationActive={false} />
      </BarChart>
    </div>
  );
}
