import { formatCount } from "@/app/_lib/format-count";
import { AdminPanel, CELL, DataTable } from "../../_components/admin-panel";
import type { AdminOutputs } from "../../_lib/admin-api";

const COUNTS = ["waiting", "active", "delayed", "failed", "completed"] as const;
const COLUMNS = [
  { label: "Queue" },
  ...COUNTS.map((count) => ({ label: count[0]!.toUpperCase() + count.slice(1), align: "right" as const })),
  { label: "Workers", align: "right" as const },
];

/** Jobs per queue by state, and the workers connected to it (none connected: nothing will move). */
export function QueueHealthTable({ queues }: { queues: AdminOutputs["queues"]["health"] }) {
  return (
    <AdminPanel id="queues-heading" title="Job queues">
      <DataTable caption="Jobs in each queue by state, and workers connected" columns={COLUMNS} minWidth="min-w-[36rem]" testId="queue-health">
        {queues.map((queue) => (
          <tr key={queue.queue} data-testid="queue-row" data-queue={queue.queue}>
            <th scope="row" className={`${CELL} font-mono font-medium`}>
              {queue.queue}
            </th>
            {COUNTS.map((count) => (
              <td key={count} className={`${CELL} text-right tabular-nums ${count === "failed" && queue.failed > 0 ? "font-semibold text-rose-800" : ""}`}>
                {formatCount(queue[count])}
              </td>
            ))}
            <td className={`${CELL} text-right tabular-nums ${queue.workers === 0 ? "font-semibold text-rose-800" : ""}`} data-testid="queue-workers">
              {queue.workers === 0 ? "None" : queue.workers}
            </td>
          </tr>
        ))}
      </DataTable>
    </AdminPanel>
  );
}
