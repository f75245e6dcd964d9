"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { formatCount } from "@/app/_lib/format-count";
import { useTRPC } from "@/app/_trpc/client";
import { AdminPanel, CELL, DataTable } from "../../../_components/admin-panel";
import type { AdminOutputs } from "../../../_lib/admin-api";
import { LIVE_REFRESH_MS } from "../../../_lib/live";
import { JobTime } from "../../_components/job-time";
import { attemptsInWords, JOB_STATES, queueJobHref, queueJobsHref, STATE_WORDS } from "../../_lib/job-browser-words";

type JobsPage = AdminOutputs["queues"]["jobs"];

const COLUMNS = [{ label: "Job" }, { label: "Name" }, { label: "Attempts" }, { label: "Added" }, { label: "Finished or due" }, { label: "Error" }];

/** A queue's jobs in one state, live: tabs for the states, the page's jobs newest first, and the way to older ones. */
export function QueueJobList({ initial }: { initial: JobsPage }) {
  const trpc = useTRPC();
  const { queue, state, page } = initial;
  const jobs = useQuery(trpc.admin.queues.jobs.queryOptions({ queue, state, page }, { initialData: initial, refetchInterval: LIVE_REFRESH_MS })).data;
  const lastPage = Math.max(1, Math.ceil(jobs.total / jobs.pageSize));
  return (
    <div className="space-y-6">
      <div className="space-y-1">
        <Link href="/admin/queues" className="text-sm font-medium text-indigo-800 underline">
          ← Queues and projections
        </Link>
        <h1 className="text-2xl font-bold">
          Jobs in <span className="font-mono">{queue}</span>
        </h1>
      </div>
      <nav aria-label="Job states">
        <ul className="flex flex-wrap gap-2">
          {JOB_STATES.map((each) => (
            <li key={each}>
              <Link
                href={queueJobsHref(queue, each)}
                aria-current={each === state ? "page" : undefined}
                className={`rounded-full px-3 py-1 text-sm font-medium ${each === state ? "bg-indigo-700 text-white" : "bg-gray-100 text-gray-900 hover:bg-gray-200"}`}
              >
                {STATE_WORDS[each].label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <AdminPanel id="jobs-heading" title={`${STATE_WORDS[state].label}: ${formatCount(jobs.total)} ${jobs.total === 1 ? "job" : "jobs"}`} testId="queue-jobs">
        {jobs.jobs.length === 0 ? (
          <p className="text-sm text-gray-700" data-testid="no-jobs">
            {page > 1 && jobs.total > 0 ? "There are no jobs on this page any more." : STATE_WORDS[state].none}
          </p>
        ) : (
          <DataTable caption={`${STATE_WORDS[state].label} jobs in ${queue}, newest first`} columns={COLUMNS} minWidth="min-w-[52rem]">
            {jobs.jobs.map((job) => (
              <tr key={job.id} data-testid="job-row" data-job-id={job.id}>
                <th scope="row" className={`${CELL} font-mono font-medium`}>
                  <Link href={queueJobHref(queue, job.id)} className="text-indigo-800 underline break-all">
                    {job.id}
                  </Link>
                </th>
                <td className={`${CELL} font-mono`}>{job.name}</td>
                <td className={`${CELL} tabular-nums`}>{attemptsInWords(job.attemptsMade, job.attemptsAllowed)}</td>
                <td className={CELL}>
                  <JobTime date={job.addedAt} />
                </td>
                <td className={CELL}>
                  <JobTime date={job.finishedAt ?? job.dueAt} />
                </td>
                <td className={`${CELL} max-w-[20rem] break-words text-rose-800`}>{job.failedReason ?? ""}</td>
              </tr>
            ))}
          </DataTable>
        )}
        {lastPage > 1 && (
          <nav aria-label="Pages" className="flex items-center gap-3 text-sm">
            {page > 1 && (
              <Link href={queueJobsHref(queue, state, page - 1)} className="font-medium text-indigo-800 underline">
                Newer
              </Link>
            )}
            <span>
              Page {page} of {lastPage}
            </span>
            {page < lastPage && (
              <Link href={queueJobsHref(queue, state, page + 1)} className="font-medium text-indigo-800 underline">
                Older
              </Link>
            )}
          </nav>
        )}
      </AdminPanel>
    </div>
  );
}
