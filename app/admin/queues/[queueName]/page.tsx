import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { orNotFound } from "@/app/_lib/or-not-found";
import { getApi } from "@/app/_trpc/server";
import { requireStaff } from "../../_lib/require-staff";
import { jobPageFrom, jobStateFrom, queueJobsHref, STATE_WORDS } from "../_lib/job-browser-words";
import { QueueJobList } from "./_components/queue-job-list";

type Props = { params: Promise<{ queueName: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params, searchParams }: Props): Promise<Metadata> {
  const state = jobStateFrom((await searchParams).state);
  return { title: `${state ? STATE_WORDS[state].label : "Jobs"} jobs in ${(await params).queueName}` };
}

/** One queue's jobs in one state, newest first, a page at a time: the job browser (as Bull Board has it). */
export default async function QueueJobsPage({ params, searchParams }: Props) {
  const { queueName } = await params;
  const query = await searchParams;
  const state = jobStateFrom(query.state);
  const page = jobPageFrom(query.page);
  await requireStaff(queueJobsHref(queueName, state ?? "failed", page));
  if (!state) notFound();
  // A queue the registry does not know is a 404.
  const initial = await orNotFound((await getApi()).admin.queues.jobs({ queue: queueName, state, page }));
  return <QueueJobList initial={initial} />;
}
