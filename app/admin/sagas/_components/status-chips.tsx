import Link from "next/link";
import type { SagaListFilter } from "@/server/admin/sagas/saga-list-filter";
import { formatCount } from "@/app/_lib/format-count";
import { SAGA_STATUS, SAGA_STATUS_ORDER } from "../../_components/saga-status-badge";
import type { SagaCountsView } from "../../_lib/admin-api";
import { queryOfFilter } from "../_lib/saga-filter-params";

/** How many sagas stand in each status, each a link that narrows the list to it (keeping the other filters). */
export function StatusChips({ counts, filter }: { counts: SagaCountsView; filter: SagaListFilter }) {
  const total = Object.values(counts.byStatus).reduce((sum, count) => sum + count, 0);
  const chip = (selected: boolean) =>
    `flex items-center gap-2 rounded-full px-3 py-1.5 text-sm font-medium ring-1 ${selected ? "bg-brand-900 text-white ring-brand-900" : "bg-white text-gray-800 ring-gray-300 hover:bg-gray-50"}`;
  return (
    <nav aria-label="Sagas by status">
      <ul className="flex flex-wrap gap-2">
        <li>
          <Link href={`/admin/sagas${queryOfFilter({ ...filter, status: undefined })}`} aria-current={!filter.status ? "page" : undefined} className={chip(!filter.status)}>
            All <span className="tabular-nums">{counts.completedIsEstimate ? "≈ " : ""}{formatCount(total)}</span>
          </Link>
        </li>
        {SAGA_STATUS_ORDER.map((status) => (
          <li key={status}>
            <Link
              href={`/admin/sagas${queryOfFilter({ ...filter, status })}`}
              aria-current={filter.status === status ? "page" : undefined}
              className={chip(filter.status === status)}
              data-testid={`status-count-${status}`}
            >
              {SAGA_STATUS[status].label}
              <span className="tabular-nums">
                {status === "completed" && counts.completedIsEstimate ? "≈ " : ""}
                {formatCount(counts.byStatus[status])}
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
