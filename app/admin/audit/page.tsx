import type { Metadata } from "next";
import Link from "next/link";
import { getApi } from "@/app/_trpc/server";
import { requireStaff } from "../_lib/require-staff";
import { AuditFilterForm } from "./_components/audit-filter-form";
import { AuditTable } from "./_components/audit-table";
import { AUDIT_PAGE_SIZE, auditHrefOf, auditParamsOf } from "./_lib/audit-filter-params";

export const metadata: Metadata = { title: "Audit log" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/**
 * The whole audit log: every operator's action (saga actions, rule changes, points adjustments, redrives, queue jobs…),
 * newest first, filtered by the address. A filter that cannot be used shows its error and no list: a list that only
 * looks filtered would mislead.
 */
export default async function AuditPage({ searchParams }: Props) {
  await requireStaff("/admin/audit");
  const { filter, errors, cursor } = auditParamsOf(await searchParams);
  const refused = Object.keys(errors).length > 0;
  const page = refused ? null : await (await getApi()).admin.audit.page({ ...filter, cursor, limit: AUDIT_PAGE_SIZE });

  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Audit log</h1>
      <AuditFilterForm filter={filter} errors={errors} />
      {refused && (
        <p role="alert" className="rounded-lg bg-rose-50 px-3 py-2 text-sm font-medium text-rose-800" data-testid="audit-refused">
          Fix the filter above to see the log.
        </p>
      )}
      {page && page.entries.length === 0 && (
        <p className="text-gray-700" data-testid="audit-none">
          No audit lines match.
        </p>
      )}
      {page && page.entries.length > 0 && (
        <>
          <AuditTable entries={page.entries} />
          <nav aria-label="Audit log pages" className="flex gap-4 text-sm font-medium">
            {cursor && (
              <Link href={auditHrefOf(filter)} className="text-brand-700 underline">
                Newest lines
              </Link>
            )}
            {page.nextCursor && (
              <Link href={auditHrefOf(filter, page.nextCursor)} className="text-brand-700 underline">
                Older lines
              </Link>
            )}
          </nav>
        </>
      )}
    </div>
  );
}
