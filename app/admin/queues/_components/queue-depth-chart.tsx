"use client";

import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import { useInBrowser } from "@/app/_components/local-date-time";
import { formatCount } from "@/app/_lib/format-count";
import { AdminPanel, CELL, DataTable } from "../../_components/admin-panel";
import { queueDepthSummaries, type DepthSlotView } from "./queue-chart-summaries";

const CHART_HEIGHT = 240;
// Told apart by more than hue alone: each line has its own dash pattern too.
const LINES = [
  { stroke: "#4338ca", dash: undefined },
  { stroke: "#059669", dash: "6 3" },
  { stroke: "#be123c", dash: "2 2" },
  { stroke: "#b45309", dash: "8 3 2 3" },
  { stroke: "#0e7490", dash: "12 4" },
  { stroke: "#6b21a8", dash: "4 4" },
  // Room for the saga steps' partitions (saga-steps-1, …) beside the five queues.
  { stroke: "#1f2937", dash: "1 3" },
  { stroke: "#a21caf", dash: "10 2 2 2" },
  { stroke: "#15803d", dash: "3 6" },
  { stroke: "#9a3412", dash: "14 3 3 3 3 3" },
];
const clock = (date: Date) => date.toLocaleTimeString("en-US", { hour: "numeric", minute: "2-digit", second: "2-digit" });

/**
 * Jobs waiting, running and delayed in each queue over the last hour, one line per queue, sampled every 15 s by the
 * checkout workers. Its text alternative is the table under it: each queue's latest depth and its peak.
 */
export function QueueDepthChart({ queues, slots }: { queues: string[]; slots: DepthSlotView[] }) {
  const summaries = queueDepthSummaries(queues, slots);
  return (
    <AdminPanel id="depth-heading" title="Queue depth, last hour" testId="queue-depth">
      <DepthDrawing queues={queues} slots={slots} />
      {slots.length === 0 ? (
        <p className="text-sm text-gray-700" data-testid="queue-depth-summary">
          No depth was sampled in the last hour: the checkout workers sample it every 15 seconds while they run.
        </p>
      ) : (
        <DataTable caption="Jobs waiting, running and delayed in each queue: the latest sample and the hour's peak" columns={SUMMARY_COLUMNS} minWidth="min-w-[24rem]" testId="queue-depth-summary">
          {summaries.map((summary) => (
            <tr key={summary.queue}>
              <th scope="row" className={`${CELL} font-mono font-medium`}>
                {summary.queue}
              </th>
              <td className={`${CELL} text-right tabular-nums`}>{summary.latest === null ? "—" : formatCount(summary.latest)}</td>
              <td className={`${CELL} text-right tabular-nums`}>{formatCount(summary.peak)}</td>
              <td className={CELL}>{summary.peakAt ? <PeakTime date={summary.peakAt} /> : "—"}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </AdminPanel>
  );
}

const SUMMARY_COLUMNS = [{ label: "Queue" }, { label: "Now", align: "right" as const }, { label: "Peak", align: "right" as const }, { label: "Peak at" }];

function PeakTime({ date }: { date: Date }) {
  const inBrowser = useInBrowser();
  return <time dateTime={date.toISOString()}>{inBrowser ? clock(date) : `${date.toLocaleTimeString("en-US", { timeZone: "UTC" })} UTC`}</time>;
}

function DepthDrawing({ queues, slots }: { queues: string[]; slots: DepthSlotView[] }) {
  const inBrowser = useInBrowser();
  if (!inBrowser || slots.length === 0) return <div style={{ height: CHART_HEIGHT }} aria-hidden="true" />;
  const data = slots.map((slot) => ({ when: clock(slot.at), ...slot.depths }));
  return (
    <div role="img" aria-label={`Line chart of the jobs in each queue from ${clock(slots[0]!.at)} to ${clock(slots.at(-1)!.at)}; the table below gives each queue's latest depth and peak.`} data-testid="queue-depth-chart">
      <LineChart responsive accessibilityLayer={false} data={data} style={{ width: "100%", height: CHART_HEIGHT }} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" vertical={false} />
        <XAxis dataKey="when" tick={{ fontSize: 12 }} minTickGap={32} />
        <YAxis tick={{ fontSize: 12 }} width={40} allowDecimals={false} />
        <Tooltip />
        <Legend wrapperStyle={{ fontSize: 13 }} />
        {queues.map((queue, index) => {
          const line = LINES[index % LINES.length]!;
          return <Line key={queue} type="monotone" dataKey={queue} name={queue} stroke={line.stroke} strokeDasharray={line.dash} dot={false} strokeWidth={2} isAnimationActive={false} connectNulls={false} />;
        })}
      </LineChart>
    </div>
  );
}
