import Link from "next/link";
import { auditActionWords } from "@/server/admin/audit/audit-actions";
import { auditTargetLink } from "@/server/admin/audit/audit-target-link";
import { CELL, DataTable } from "../../_components/admin-panel";
import type { AuditPageView } from "../../_lib/admin-api";
import { AuditTime } from "./audit-time";

const COLUMNS = [{ label: "When" }, { label: "Who" }, { label: "Action" }, { label: "Target" }, { label: "Outcome" }];

/** One page of the log, newest first: who did what to which target, how it turned out, and when, to the second. */
export function AuditTable({ entries }: { entries: AuditPageView["entries"] }) {
  return (
    <DataTable caption="Audit log, newest first" columns={COLUMNS} minWidth="min-w-[56rem]" testId="audit-table" framed>
      {entries.map((entry) => {
        const link = auditTargetLink(entry);
        return (
          <tr key={entry.id} data-testid="audit-row" data-action={entry.action} className="border-t border-gray-100 align-top">
            <td className={`${CELL} whitespace-nowrap text-gray-700 tabular-nums`}>
              <AuditTime date={entry.createdAt} />
            </td>
            <td className={`${CELL} break-all`}>{entry.actorEmail}</td>
            <th scope="row" className={`${CELL} font-medium`}>
              {auditActionWords(entry.action)}
            </th>
            <td className={`${CELL} break-all`}>
              {link ? (
                <Link href={link.href} className="font-medium text-brand-700 underline">
                  {link.label}
                </Link>
              ) : (
                (entry.targetId ?? <span className="text-gray-600">—</span>)
              )}
            </td>
            <td className={`${CELL} text-gray-800`}>{entry.outcome}</td>
          </tr>
        );
      })}
    </DataTable>
  );
}
