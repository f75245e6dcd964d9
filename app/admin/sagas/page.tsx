import type { Metadata } from "next";
import { getApi } from "@/app/_trpc/server";
import { requireStaff } from "../_lib/require-staff";
import { filterFromParams, isRefused, SAGA_PAGE_SIZE } from "./_lib/saga-filter-params";
import { SagaMonitor } from "./_components/saga-monitor";

export const metadata: Metadata = { title: "Sagas" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** Every checkout saga, live: what needs attention first, then all of them, filtered by the address. */
export default async function SagasPage({ searchParams }: Props) {
  const staff = await requireStaff("/admin/sagas");
  const parsed = filterFromParams(await searchParams);
  const api = await getApi();
  const [page, counts, attention] = await Promise.all([
    // A filter with an error is not listed at all (not listed without the bad field either: that would look filtered).
    isRefused(parsed.errors) ? { sagas: [], nextCursor: null } : api.admin.sagas.list({ filter: parsed.filter, limit: SAGA_PAGE_SIZE }),
    api.admin.sagas.counts(),
    api.admin.sagas.needingAttention(),
  ]);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Sagas</h1>
      <SagaMonitor {...parsed} initial={{ page, counts, attention }} canAct={staff.canAct} />
    </div>
  );
}
