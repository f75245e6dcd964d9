import Link from "next/link";
import { formatCount } from "@/app/_lib/format-count";
import { AdminPanel, CELL, DataTable } from "../../_components/admin-panel";
import type { AdminOutputs } from "../../_lib/admin-api";
import { queueJobsHref, type JobBrowserState } from "../_lib/job-browser-words";

type QueueRow = AdminOutputs["queues"]["health"][number];

const NOW: readonly Extract<JobBrowserState, "waiting" | "active" | "delayed" | "failed">[] = ["waiting", "active", "delayed", "failed"];
const COLUMNS = [
  { label: "Queue" },
  { label: "Waiting", align: "right" as const },
  { label: "Active", align: "right" as const },
  { label: "Delayed", align: "right" as const },
  { label: "Failed (kept)", align: "right" as const },
  { label: "Completed, last hour", align: "right" as const },
  { label: "Failed, last hour", align: "right" as const },
  { label: "Completed (kept)", align: "right" as const },
  { label: "Workers", align: "right" as const },
];

const LINK = "text-indigo-800 underline decoration-indigo-300 underline-offset-2 hover:decoration-indigo-800";

/**
 * Jobs per queue by state, and the workers connected (none connected: nothing will move). Each count opens the job
 * browser on that state. "Last hour" is counted by the workers as jobs finish, so it includes the jobs a queue removes
 * at once (the saga steps'); "kept" is what Redis still holds, which the browser can show.
 */
export function QueueHealthTable({ queues }: { queues: AdminOutputs["queues"]["health"] }) {
  return (
    <AdminPanel id="queues-heading" title="Job queues">
      <DataTable caption="Jobs in each queue by state, jobs finished in the last hour, and workers connected" columns={COLUMNS} minWidth="min-w-[56rem]" testId="queue-health">
        {queues.map((queue) => (
          <tr key={queue.queue} data-testid="queue-row" data-queue={queue.queue}>
            <th scope="row" className={`${CELL} font-mono font-medium`}>
              <Link href={queueJobsHref(queue.queue, queue.failed > 0 ? "failed" : "waiting")} className={LINK}>
                {queue.queue}
              </Link>
            </th>
            {NOW.map((state) => (
              <td key={state} className={`${CELL} text-right tabular-nums ${state === "failed" && queue.failed > 0 ? "font-semibold text-rose-800" : ""}`}>
                <CountLink queue={queue} state={state} count={queue[state]} />
              </td>
            ))}
            <td className={`${CELL} text-right tabular-nums`} data-testid="queue-completed-last-hour">
              {formatCount(queue.completedLastHour)}
            </td>
            <td className={`${CELL} text-right tabular-nums ${queue.failedLastHour > 0 ? "font-semibold text-rose-800" : ""}`}>{formatCount(queue.failedLastHour)}</td>
            <td className={`${CELL} text-right tabular-nums`}>
              <CountLink queue={queue} state="completed" count={queue.completed} />
              <span className="block text-xs text-gray-700">{queue.completedKept}</span>
            </td>
            <td className={`${CELL} text-right tabular-nums ${queue.workers === 0 ? "font-semibold text-rose-800" : ""}`} data-testid="queue-workers">
              {queue.workers === 0 ? "None" : queue.workers}
            </td>
          </tr>
        ))}
      </DataTable>
      <p className="text-sm text-gray-700">
        <strong>Last hour</strong>: jobs the workers finished in the last 60 minutes, whether the queue keeps them or not. <strong>Kept</strong>: jobs Redis
        still holds, which a count opens in the job browser; each queue removes its completed jobs as it says under the count.
      </p>
    </AdminPanel>
  );
}

function CountLink({ queue, state, count }: { queue: QueueRow; state: JobBrowserState; count: number }) {
  return (
    <Link href={queueJobsHref(queue.queue, state)} className={LINK} aria-label={`${formatCount(count)} ${state} in ${queue.queue}`}>
      {formatCount(count)}
    </Link>
  );
}
