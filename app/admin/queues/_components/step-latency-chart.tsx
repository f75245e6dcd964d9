"use client";

import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { useInBrowser } from "@/app/_components/local-date-time";
import { formatCount } from "@/app/_lib/format-count";
import { AdminPanel, CELL, DataTable } from "../../_components/admin-panel";
import { durationInWords, latencySentence, stepLabel, type StepLatencyView } from "./queue-chart-summaries";

const CHART_HEIGHT = 260;
const COLUMNS = [{ label: "Step" }, { label: "Runs", align: "right" as const }, { label: "Median (p50)", align: "right" as const }, { label: "p95", align: "right" as const }];

/**
 * How long each saga step took over the last hour, median and 95th percentile side by side (undo steps apart), from
 * start to finish of the step's run. The table under the chart is its text alternative, and the exact figures.
 */
export function StepLatencyChart({ latencies }: { latencies: StepLatencyView[] }) {
  return (
    <AdminPanel id="latency-heading" title="Step latency, last hour" testId="step-latency">
      <LatencyDrawing latencies={latencies} />
      <p className="text-sm text-gray-700" data-testid="step-latency-summary">
        {latencySentence(latencies)}
      </p>
      {latencies.length > 0 && (
        <DataTable caption="Saga step durations over the last hour: runs, median and 95th percentile" columns={COLUMNS} minWidth="min-w-[28rem]" testId="step-latency-table">
          {latencies.map((latency) => (
            <tr key={`${latency.step}-${latency.phase}`}>
              <th scope="row" className={`${CELL} font-mono font-medium`}>
                {stepLabel(latency)}
              </th>
              <td className={`${CELL} text-right tabular-nums`}>{formatCount(latency.runs)}</td>
              <td className={`${CELL} text-right tabular-nums`}>{durationInWords(latency.p50Ms)}</td>
              <td className={`${CELL} text-right tabular-nums`}>{durationInWords(latency.p95Ms)}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </AdminPanel>
  );
}

function LatencyDrawing({ latencies }: { latencies: StepLatencyView[] }) {
  const inBrowser = useInBrowser();
  if (!inBrowser || latencies.length === 0) return <div style={{ height: latencies.length === 0 ? 0 : CHART_HEIGHT }} aria-hidden="true" />;
  const data = latencies.map((latency) => ({ label: stepLabel(latency), p50: latency.p50Ms, p95: latency.p95Ms }));
  return (
    <div role="img" aria-label={`Bar chart of step durations. ${latencySentence(latencies)} The table below gives every step's figures.`} data-testid="step-latency-chart">
      <BarChart responsive accessibilityLayer={false} data={data} style={{ width: "100%", height: CHART_HEIGHT }} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" vertical={false} />
        <XAxis dataKey="label" tick={{ fontSize: 11 }} interval={0} angle={-20} textAnchor="end" height={60} />
        <YAxis tick={{ fontSize: 12 }} width={64} tickFormatter={(ms: number) => durationInWords(ms)} />
        <Tooltip formatter={(ms) => durationInWords(Number(ms))} />
        <Legend wrapperStyle={{ fontSize: 13 }} />
        <Bar dataKey="p50" name="Median (p50)" fill="#6366f1" isAnimationActive={false} />
        <Bar dataKey="p95" name="95th percentile" fill="#312e81" isAnimationActive={false} />
      </BarChart>
    </div>
  );
}
