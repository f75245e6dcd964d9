"use client";

import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/app/_trpc/client";
import { AdminPanel } from "../../_components/admin-panel";
import type { NeedingAttentionView, SagaCountsView, SagaListPageView, SagaListRowView } from "../../_lib/admin-api";
import { LIVE_REFRESH_MS } from "../../_lib/live";
import { countOf } from "../../_lib/saga-words";
import { isFiltered, isRefused, queryOfFilter, SAGA_PAGE_SIZE, type ParsedSagaFilter } from "../_lib/saga-filter-params";
import { BulkRetry } from "./bulk-retry";
import { InvariantAudit } from "./invariant-audit";
import { SagaFilterForm } from "./saga-filter-form";
import { SagaTable, type SagaPicking } from "./saga-table";
import { StatusChips } from "./status-chips";

export type SagaMonitorData = { page: SagaListPageView; counts: SagaCountsView; attention: NeedingAttentionView };

/** Later pages fetched while new sagas arrived on the first can repeat a row: each saga is shown once. */
function uniqueById(sagas: SagaListRowView[]): SagaListRowView[] {
  const seen = new Set<string>();
  return sagas.filter((saga) => !seen.has(saga.id) && seen.add(saga.id));
}

/**
 * The saga monitor, live: counts per status, the sagas needing attention pinned above, then every saga matching the
 * filter, newest first, a page at a time (keyset cursor). Everything shown is asked again every couple of seconds.
 */
export function SagaMonitor({
  filter,
  errors,
  values,
  initial,
  canAct,
}: ParsedSagaFilter & {
  initial: SagaMonitorData;
  canAct: boolean;
}) {
  // A filter with an error lists nothing (and offers no bulk action): a list would look filtered when it is not.
  const refused = isRefused(errors);
  const trpc = useTRPC();
  const live = { refetchInterval: LIVE_REFRESH_MS };
  const counts = useQuery(trpc.admin.sagas.counts.queryOptions(undefined, { initialData: initial.counts, ...live })).data;
  const attention = useQuery(
    trpc.admin.sagas.needingAttention.queryOptions(undefined, { initialData: initial.attention, ...live }),
  ).data;
  const list = useInfiniteQuery(
    trpc.admin.sagas.list.infiniteQueryOptions(
      { filter, limit: SAGA_PAGE_SIZE },
      {
        initialData: { pages: [initial.page], pageParams: [null] },
        getNextPageParam: (page) => page.nextCursor,
        enabled: !refused,
        ...live,
      },
    ),
  );
  const sagas = uniqueById(list.data.pages.flatMap((page) => page.sagas));
  // The sagas picked for a bulk retry: for this filter only, and only those still shown.
  const [picks, setPicks] = useState({ filter: queryOfFilter(filter), ids: new Set<string>() });
  const pickedIds = picks.filter === queryOfFilter(filter) ? picks.ids : new Set<string>();
  const pickedShown = sagas.filter((saga) => pickedIds.has(saga.id)).map((saga) => saga.id);
  const setPicked = (ids: Set<string>) => setPicks({ filter: queryOfFilter(filter), ids });
  const picking: SagaPicking = {
    picked: pickedIds,
    toggle: (sagaId, on) => {
      const ids = new Set(pickedIds);
      if (on) ids.add(sagaId);
      else ids.delete(sagaId);
      setPicked(ids);
    },
    toggleAll: (on) => setPicked(on ? new Set(sagas.map((saga) => saga.id)) : new Set()),
  };
  const calm = attention.total === 0;

  return (
    <div className="space-y-6">
      <StatusChips counts={counts} filter={filter} />

      <AdminPanel
        id="attention-heading"
        // Calm at zero, alarming only when a saga needs someone.
        tone={calm ? "plain" : "alert"}
        testId="needs-attention"
        title={
          <>
            Needs attention
            <span
              className={`rounded-full px-2 py-0.5 text-sm font-bold ${calm ? "bg-emerald-100 text-emerald-900" : "bg-rose-700 text-white"}`}
              data-testid="needs-attention-count"
            >
              {attention.total}
            </span>
          </>
        }
      >
        {attention.sagas.length === 0 ? (
          <p className="text-sm text-gray-700">Nothing needs attention: every compensation finished and no saga is stuck.</p>
        ) : (
          <>
            <p className="text-sm text-gray-700">
              A compensation that gave up, or a saga still running a minute past its deadline or its next step. Open one to see why
              {canAct ? " and fix it" : ""}.
            </p>
            <SagaTable sagas={attention.sagas} caption="Sagas needing attention, most recently changed first" testId="attention-table" />
            {attention.total > attention.sagas.length && (
              <p className="text-sm text-gray-700">
                Showing the {attention.sagas.length} most recent of {countOf(attention.total, "saga")}.
              </p>
            )}
          </>
        )}
        <InvariantAudit />
      </AdminPanel>

      <section aria-labelledby="all-sagas-heading" className="space-y-3">
        <div className="flex flex-wrap items-end justify-between gap-3">
          <h2 id="all-sagas-heading" className="text-lg font-semibold">
            {isFiltered(filter) ? "Matching sagas" : "All sagas"}, newest first
          </h2>
          {canAct && !refused && <BulkRetry key={queryOfFilter(filter)} filter={filter} picked={pickedShown} onRetried={() => setPicked(new Set())} />}
        </div>
        <SagaFilterForm key={queryOfFilter(values)} values={values} errors={errors} />
        <div role="status" aria-live="polite" className="sr-only">
          {list.isFetchingNextPage ? "Loading more sagas…" : `${countOf(sagas.length, "saga")} shown.`}
        </div>
        {refused ? (
          <p className="rounded-2xl border border-dashed border-rose-300 bg-white px-6 py-10 text-center text-gray-800" data-testid="filter-refused">
            No sagas are listed until the filter above is fixed.
          </p>
        ) : sagas.length === 0 ? (
          <p className="rounded-2xl border border-dashed border-gray-300 bg-white px-6 py-10 text-center text-gray-700" data-testid="no-sagas">
            {isFiltered(filter) ? "No saga matches these filters." : "No checkout has started yet."}
          </p>
        ) : (
          <SagaTable sagas={sagas} caption="Sagas, newest first" testId="saga-table" picking={canAct ? picking : undefined} />
        )}
        {!refused && list.hasNextPage && (
          <button
            type="button"
            onClick={() => list.fetchNextPage()}
            disabled={list.isFetchingNextPage}
            className="w-full rounded-lg border border-gray-300 bg-white px-4 py-2 font-semibold text-gray-800 hover:bg-gray-50 disabled:cursor-wait"
          >
            {list.isFetchingNextPage ? "Loading…" : "Load more"}
          </button>
        )}
        {list.isError && (
          <p role="alert" className="text-sm font-medium text-rose-800">
            The list could not be refreshed; it will try again in a moment.
          </p>
        )}
      </section>
    </div>
  );
}
