import type { Metadata } from "next";
import { getApi } from "@/app/_trpc/server";
import { requireStaff } from "../_lib/require-staff";
import { QueuesMonitor } from "./_components/queues-monitor";

export const metadata: Metadata = { title: "Queues" };

/**
 * The machinery behind the sagas, live: job queues and their workers (each opening its job browser), outbox events given
 * up on, queue depth and step latency over the last hour beside sagas finished per minute, loyalty projections and the
 * customers' streams they parked.
 */
export default async function QueuesPage() {
  const staff = await requireStaff("/admin/queues");
  const api = await getApi();
  const [queues, throughput, depth, stepLatency, projections, deadLetters, parkedStreams] = await Promise.all([
    api.admin.queues.health(),
    api.admin.sagas.throughput(),
    api.admin.queues.depth(),
    api.admin.queues.stepLatency(),
    api.admin.loyalty.projections(),
    api.admin.outbox.deadLetters(),
    api.admin.loyalty.parkedStreams(),
  ]);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Queues and projections</h1>
      <QueuesMonitor initial={{ queues, throughput, depth, stepLatency, projections, deadLetters, parkedStreams }} canAct={staff.canAct} />
    </div>
  );
}
