import type { Metadata } from "next";
import Link from "next/link";
import { orNotFound } from "@/app/_lib/or-not-found";
import { getApi } from "@/app/_trpc/server";
import { AdminPanel } from "../../../../_components/admin-panel";
import { requireStaff } from "../../../../_lib/require-staff";
import { queueJobHref, queueJobsHref } from "../../../_lib/job-browser-words";
import { JobAuditTrail } from "./_components/job-audit-trail";
import { QueueJobDetail } from "./_components/queue-job-detail";

type Props = { params: Promise<{ queueName: string; jobId: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { queueName, jobId } = await params;
  return { title: `Job ${jobId} in ${queueName}` };
}

/**
 * One job of a queue: its payload, attempts and error (stacks for admins), and for a failed one Retry and Remove. A job
 * that is gone (finished and removed, retried away, Redis wiped) says so: the audit log links here long after.
 */
export default async function QueueJobPage({ params }: Props) {
  const { queueName, jobId } = await params;
  const staff = await requireStaff(queueJobHref(queueName, jobId));
  // An unknown queue (or a malformed id) is a 404; a job no longer there is this page's own answer.
  const api = await getApi();
  const [job, audit] = await orNotFound(Promise.all([api.admin.queues.job({ queue: queueName, jobId }), api.admin.queues.jobAudit({ queue: queueName, jobId })]));
  const trail = <JobAuditTrail queue={queueName} jobId={jobId} initial={audit} />;
  if (!job) {
    return (
      <div className="space-y-6">
        <h1 className="text-2xl font-bold">
          Job <span className="font-mono break-all">{jobId}</span>
        </h1>
        <AdminPanel id="gone-heading" title="This job is no longer in the queue" testId="job-gone">
          <p className="text-sm text-gray-700">
            Queue <span className="font-mono">{queueName}</span> has no job with this id now. Finished jobs are removed after a while (saga steps at once),
            a removed job is gone, and Redis forgets everything when it restarts. What the job did is in its saga&apos;s history and the audit log.
          </p>
          <Link href={queueJobsHref(queueName, "failed")} className="text-sm font-medium text-indigo-800 underline">
            The failed jobs of {queueName}
          </Link>
        </AdminPanel>
        {trail}
      </div>
    );
  }
  return <QueueJobDetail initialJob={job} canAct={staff.canAct} auditTrail={trail} />;
}
