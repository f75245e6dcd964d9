"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/client";
import type { AdminOutputs } from "../../_lib/admin-api";
import { LIVE_REFRESH_MS, SLOW_REFRESH_MS } from "../../_lib/live";
import { DeadLetters } from "./dead-letters";
import { ParkedStreams } from "./parked-streams";
import { ProjectionLags } from "./projection-lags";
import { QueueHealthTable } from "./queue-health-table";
import { ThroughputChart } from "./throughput-chart";

export type QueuesData = {
  queues: AdminOutputs["queues"]["health"];
  throughput: AdminOutputs["sagas"]["throughput"];
  projections: AdminOutputs["loyalty"]["projections"];
  deadLetters: AdminOutputs["outbox"]["deadLetters"];
  parkedStreams: AdminOutputs["loyalty"]["parkedStreams"];
};

/** Queue health, projection lags and parked streams every couple of seconds; the per-minute chart less often (it moves by minutes). */
export function QueuesMonitor({ initial, canAct }: { initial: QueuesData; canAct: boolean }) {
  const trpc = useTRPC();
  const queues = useQuery(trpc.admin.queues.health.queryOptions(undefined, { initialData: initial.queues, refetchInterval: LIVE_REFRESH_MS })).data;
  const throughput = useQuery(
    trpc.admin.sagas.throughput.queryOptions(undefined, { initialData: initial.throughput, refetchInterval: SLOW_REFRESH_MS }),
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
      <ThroughputChart minutes={throughput} />
      <ProjectionLags projections={projections} canAct={canAct} />
      <ParkedStreams parked={parkedStreams} canAct={canAct} />
    </div>
  );
}
