"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/client";
import type { AdminOutputs } from "../../_lib/admin-api";
import { LIVE_REFRESH_MS, SLOW_REFRESH_MS } from "../../_lib/live";
import { DeadLetters } from "./dead-letters";
import { ParkedStreams } from "./parked-streams";
import { ProjectionLags } from "./projection-lags";
import { QueueDepthChart } from "./queue-depth-chart";
import { QueueHealthTable } from "./queue-health-table";
import { StepLatencyChart } from "./step-latency-chart";
import { ThroughputChart } from "./throughput-chart";

export type QueuesData = {
  queues: AdminOutputs["queues"]["health"];
  throughput: AdminOutputs["sagas"]["throughput"];
  depth: AdminOutputs["queues"]["depth"];
  stepLatency: AdminOutputs["queues"]["stepLatency"];
  projections: AdminOutputs["loyalty"]["projections"];
  deadLetters: AdminOutputs["outbox"]["deadLetters"];
  parkedStreams: AdminOutputs["loyalty"]["parkedStreams"];
};

/** Queue health, projection lags and parked streams every couple of seconds; the charts less often (they move by minutes). */
export function QueuesMonitor({ initial, canAct }: { initial: QueuesData; canAct: boolean }) {
  const trpc = useTRPC();
  const queues = useQuery(trpc.admin.queues.health.queryOptions(undefined, { initialData: initial.queues, refetchInterval: LIVE_REFRESH_MS })).data;
  const throughput = useQuery(
    trpc.admin.sagas.throughput.queryOptions(undefined, { initialData: initial.throughput, refetchInterval: SLOW_REFRESH_MS }),
  ).data;
  // Sampled every 15 s, and a percentile over an hour: neither moves faster than that.
  const depth = useQuery(trpc.admin.queues.depth.queryOptions(undefined, { initialData: initial.depth, refetchInterval: SLOW_REFRESH_MS })).data;
  const stepLatency = useQuery(
    trpc.admin.queues.stepLatency.queryOptions(undefined, { initialData: initial.stepLatency, refetchInterval: SLOW_REFRESH_MS }),
  ).data;
  const projections = useQuery(
    trpc.admin.loyalty.projections.queryOptions(undefined, { initialData: initial.projections, refetchInterval: LIVE_REFRESH_MS }),
  ).data;
  const deadLetters = useQuery(
    trpc.admin.outbox.deadLetters.queryOptions(undefined, { initialData: initial.deadLetters, refetchInterval: LIVE_REFRESH_MS }),
  ).data;
  const parkedStreams = useQuery(
    trpc.admin.loyalty.parkedStreams.queryOptions(undefined, { initialData: initial.parkedStreams, refetchInterval: LIVE_REFRESH_MS }),
  ).data;
  return (
    <div className="space-y-6">
      <QueueHealthTable queues={queues} />
      <DeadLetters deadLetters={deadLetters} canAct={canAct} />
      <QueueDepthChart queues={queues.map((queue) => queue.queue)} slots={depth} />
      <div className="grid gap-6 lg:grid-cols-2">
        <StepLatencyChart latencies={stepLatency} />
        <ThroughputChart minutes={throughput} />
      </div>
      <ProjectionLags projections={projections} canAct={canAct} />
      <ParkedStreams parked={parkedStreams} canAct={canAct} />
    </div>
  );
}
