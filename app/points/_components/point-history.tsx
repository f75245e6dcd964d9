"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { LocalDateTime } from "@/app/_components/local-date-time";
import { useTRPC } from "@/app/_trpc/client";
import { formatCount } from "@/app/_lib/format-count";
import { HISTORY_PAGE_SIZE, POLL_INTERVAL_MS } from "./dashboard-settings";

/** Every change to the points, newest first, a page at a time. */
export function PointHistory() {
  const trpc = useTRPC();
  const history = useInfiniteQuery(
    trpc.loyalty.history.infiniteQueryOptions(
      { limit: HISTORY_PAGE_SIZE },
      {
        getNextPageParam: (page) => page.nextCursor,
        refetchInterval: POLL_INTERVAL_MS,
      },
    ),
  );
  const entries = history.data?.pages.flatMap((page) => page.entries);

  return (
    <section aria-labelledby="points-history-heading" className="rounded-2xl border border-gray-200 bg-white p-6 shadow-sm">
      <h2 id="points-history-heading" className="text-lg font-semibold">
        History
      </h2>
      {!entries ? (
        <p className="mt-3 text-gray-600">Loading…</p>
      ) : entries.length === 0 ? (
        <p className="mt-3 text-gray-600">No points moved yet.</p>
      ) : (
        <ol className="mt-3 divide-y divide-gray-100" aria-label="Points history, newest first">
          {entries.map((entry) => (
            <li key={entry.version} className="flex items-center justify-between gap-4 py-3" data-testid="points-history-entry">
              <div className="min-w-0">
                <p className="font-medium">{entry.description}</p>
                <p className="text-sm text-gray-500">
                  <LocalDateTime date={entry.occurredAt} />
                </p>
              </div>
              <div className="text-right">
                <p className={`font-semibold ${entry.pointsDelta < 0 ? "text-gray-900" : "text-emerald-700"}`}>
                  {entry.pointsDelta > 0 ? "+" : "−"}
                  {formatCount(Math.abs(entry.pointsDelta))}
                </p>
                <p className="text-xs whitespace-nowrap text-gray-500">Balance {formatCount(entry.balanceAfter)}</p>
              </div>
            </li>
          ))}
        </ol>
      )}
      {history.hasNextPage && (
        <button
          type="button"
          onClick={() => void history.fetchNextPage()}
          disabled={history.isFetchingNextPage}
          className="mt-3 rounded-lg border border-gray-300 px-4 py-2 font-semibold text-gray-800 hover:bg-gray-50 disabled:cursor-wait disabled:opacity-70"
        >
          {history.isFetchingNextPage ? "Loading…" : "Show more"}
        </button>
      )}
    </section>
  );
}
