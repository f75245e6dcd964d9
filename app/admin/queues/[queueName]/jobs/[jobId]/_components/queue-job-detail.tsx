"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { ReactNode } from "react";
import { JsonBlock } from "@/app/admin/sagas/[sagaId]/_components/json-block";
import { useTRPC } from "@/app/_trpc/client";
import { AdminPanel } from "../../../../../_components/admin-panel";
import type { AdminOutputs } from "../../../../../_lib/admin-api";
import { LIVE_REFRESH_MS } from "../../../../../_lib/live";
import { JobTime } from "../../../../_components/job-time";
import { attemptsInWords, queueJobsHref, STATE_WORDS, type JobBrowserState } from "../../../../_lib/job-browser-words";
import { QueueJobActions } from "./queue-job-actions";

type JobView = NonNullable<AdminOutputs["queues"]["job"]>;

const listed = (state: JobView["state"]): state is JobBrowserState => Object.hasOwn(STATE_WORDS, state);

/** One job, live: what it is, how it fared, its payload, its error and stack, and what an admin can do about it. */
export function QueueJobDetail({ initialJob, canAct, auditTrail }: { initialJob: JobView; canAct: boolean; auditTrail: ReactNode }) {
  const trpc = useTRPC();
  const { queue, id } = initialJob;
  // null once it is gone (removed here or elsewhere): the last view stays, marked gone.
  const fresh = useQuery(trpc.admin.queues.job.queryOptions({ queue, jobId: id }, { initialData: initialJob, refetchInterval: LIVE_REFRESH_MS })).data;
  const job = fresh ?? initialJob;
  const gone = fresh === null;
  return (
    <div className="space-y-6">
      <div className="space-y-1">
        <Link href={listed(job.state) ? queueJobsHref(queue, job.state) : queueJobsHref(queue, "failed")} className="text-sm font-medium text-indigo-800 underline">
          ← Jobs in {queue}
        </Link>
        <h1 className="text-2xl font-bold">
          Job <span className="font-mono break-all">{id}</span>
        </h1>
      </div>
      <AdminPanel id="job-heading" title="The job" testId="job-summary">
        <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
          <dt className="font-semibold">Queue</dt>
          <dd className="font-mono">{queue}</dd>
          <dt className="font-semibold">Name</dt>
          <dd className="font-mono">{job.name}</dd>
          <dt className="font-semibold">State</dt>
          <dd data-testid="job-state">{gone ? "No longer in the queue" : listed(job.state) ? STATE_WORDS[job.state].label : job.state}</dd>
          <dt className="font-semibold">Attempts</dt>
          <dd data-testid="job-attempts">{attemptsInWords(job.attemptsMade, job.attemptsAllowed)}</dd>
          <dt className="font-semibold">Added</dt>
          <dd>
            <JobTime date={job.addedAt} />
          </dd>
          {job.dueAt && (
            <>
              <dt className="font-semibold">Due</dt>
              <dd>
                <JobTime date={job.dueAt} />
              </dd>
            </>
          )}
          <dt className="font-semibold">Last started</dt>
          <dd>
            <JobTime date={job.processedAt} />
          </dd>
          <dt className="font-semibold">Finished</dt>
          <dd>
            <JobTime date={job.finishedAt} />
          </dd>
        </dl>
      </AdminPanel>
      {job.failedReason && (
        <AdminPanel id="error-heading" title="Why it failed" tone="alert" testId="job-error">
          <p className="text-sm break-words text-rose-900">{job.failedReason}</p>
          {job.stacktrace && job.stacktrace.length > 0 && (
            <details>
              <summary className="cursor-pointer text-sm font-medium">Stack of each failed attempt</summary>
              {job.stacktrace.map((stack, index) => (
                <pre key={index} className="mt-2 overflow-x-auto rounded-lg bg-gray-900 p-3 font-mono text-xs text-gray-100">
                  {stack}
                </pre>
              ))}
            </details>
          )}
        </AdminPanel>
      )}
      <AdminPanel id="payload-heading" title="Payload">
        <JsonBlock value={job.data} testId="job-payload" />
        {job.returnValue !== null && (
          <>
            <h3 className="text-sm font-semibold">What it returned</h3>
            <JsonBlock value={job.returnValue} />
          </>
        )}
      </AdminPanel>
      {canAct && <QueueJobActions queue={queue} jobId={id} jobName={job.name} failed={!gone && job.state === "failed"} />}
      {auditTrail}
    </div>
  );
}
