"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { FormError, SubmitButton, TextField } from "@/app/_components/text-field";
import { formErrorsOf } from "@/app/_lib/api-errors";
import { useTRPC } from "@/app/_trpc/client";
import { AdminPanel } from "../../_components/admin-panel";
import { SAGA_STATUS, SAGA_STATUS_ORDER } from "../../_components/saga-status-badge";
import { InvariantList } from "./invariant-list";

const DEFAULT_SHOPPERS = 200;
/** The run changes by the millisecond while it lasts: asked every second until it has settled and Loyalty caught up. */
const RUN_REFRESH_MS = 1_000;

/** Starts a run (admins) and follows it live (anyone on staff with its link). */
export function SimulatorPanel({ runId, canAct }: { runId: string | null; canAct: boolean }) {
  return (
    <div className="space-y-6">
      {canAct && <StartForm />}
      {runId ? <RunStatus runId={runId} /> : !canAct && <p className="text-gray-700">No run to show. An admin starts one here.</p>}
    </div>
  );
}

function StartForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const [shoppers, setShoppers] = useState(String(DEFAULT_SHOPPERS));
  const [shoppersError, setShoppersError] = useState<string>();
  const start = useMutation(
    trpc.admin.simulator.start.mutationOptions({ onSuccess: ({ runId }) => router.replace(`/admin/simulator?run=${runId}`) }),
  );
  const server = formErrorsOf(start.error);
  return (
    <form
      noValidate
      className="flex flex-wrap items-end gap-3 rounded-2xl border border-gray-200 bg-white p-4 shadow-sm"
      onSubmit={(event) => {
        event.preventDefault();
        if (!/^\d+$/.test(shoppers.trim())) return setShoppersError("Enter a whole number of shoppers, like 200.");
        setShoppersError(undefined);
        start.mutate({ shoppers: Number(shoppers.trim()) });
      }}
    >
      <div className="w-48">
        <TextField
          label="Shoppers"
          name="shoppers"
          inputMode="numeric"
          value={shoppers}
          onChange={(event) => setShoppers(event.target.value)}
          error={shoppersError ?? server.fields.shoppers}
        />
      </div>
      <div className="w-40">
        <SubmitButton pending={start.isPending}>Start</SubmitButton>
      </div>
      <div className="basis-full">
        <FormError message={server.form} />
      </div>
    </form>
  );
}

function RunStatus({ runId }: { runId: string }) {
  const trpc = useTRPC();
  const status = useQuery(
    trpc.admin.simulator.status.queryOptions(
      { runId },
      {
        refetchInterval: ({ state: { data } }) =>
          data?.finished && data.pointsAwardedPurchases === data.purchases ? false : RUN_REFRESH_MS,
      },
    ),
  );
  if (status.isError) {
    return (
      <p role="alert" className="rounded-lg bg-rose-50 px-3 py-2 text-sm font-medium text-rose-800">
        {status.error.message}
      </p>
    );
  }
  const run = status.data;
  if (!run) return <p className="text-gray-700">Loading the run…</p>;
  return (
    <AdminPanel
      id="run-heading"
      title={`Run of ${run.shoppers} shoppers`}
      testId="simulator-run"
      actions={
        <p role="status" className={`text-sm font-semibold ${run.finished ? "text-emerald-800" : "text-sky-800"}`} data-testid="simulator-state">
          {run.finished ? "Finished: every shopper answered, every saga settled." : `Running… ${run.answered} of ${run.shoppers} shoppers answered.`}
        </p>
      }
    >
      <InvariantList run={run} />
      <div>
        <h3 className="text-sm font-semibold text-gray-800">Sagas of this run</h3>
        <ul className="mt-2 flex flex-wrap gap-2 text-sm" data-testid="simulator-sagas">
          {SAGA_STATUS_ORDER.map((sagaStatus) => (
            <li key={sagaStatus} className={`rounded-full px-3 py-1 ring-1 ${SAGA_STATUS[sagaStatus].className}`} data-testid={`simulator-sagas-${sagaStatus}`}>
              {SAGA_STATUS[sagaStatus].label} <span className="font-semibold tabular-nums">{run.sagas[sagaStatus]}</span>
            </li>
          ))}
        </ul>
        <p className="mt-2 text-sm text-gray-700">
          {run.turnedAway} turned away at the door as sold out (no saga); {run.answered - run.turnedAway} checkouts started.
        </p>
      </div>
    </AdminPanel>
  );
}
