import Link from "next/link";
import { LocalDateTime } from "@/app/_components/local-date-time";
import { formatCents } from "@/server/retail/money";
import { CELL, DataTable } from "../../_components/admin-panel";
import { SagaStatusBadge } from "../../_components/saga-status-badge";
import type { SagaListRowView } from "../../_lib/admin-api";
import { shortSagaId } from "../../_lib/saga-words";
import { queryOfFilter } from "../_lib/saga-filter-params";

const COLUMNS = [
  { label: "Saga" },
  { label: "Status" },
  { label: "Step / reason" },
  { label: "Customer" },
  { label: "Amount", align: "right" as const },
  { label: "Started" },
];

/** Sagas as rows: which, how it stands (and why it failed), whose, how much, when. Scrolls sideways on a phone. */
export function SagaTable({ sagas, caption, testId }: { sagas: SagaListRowView[]; caption: string; testId: string }) {
  return (
    <DataTable caption={caption} columns={COLUMNS} minWidth="min-w-[50rem]" testId={testId} framed>
      {sagas.map((saga) => (
        <tr key={saga.id} data-testid="saga-row" data-saga-id={saga.id} className="align-top">
          <td className={CELL}>
            {/* One box (inline-block), so the hidden word does not become a fragment of its own to aim at. */}
            <Link href={`/admin/sagas/${saga.id}`} className="inline-block font-mono font-semibold text-brand-700 hover:underline">
              <span className="sr-only">Saga </span>
              {shortSagaId(saga.id)}
            </Link>
            <span className="block text-xs text-gray-500">{saga.sagaType}</span>
          </td>
          <td className={CELL}>
            <SagaStatusBadge status={saga.status} />
          </td>
          <td className={`${CELL} max-w-72 min-w-52`}>
            <SagaWhere saga={saga} />
          </td>
          <td className={CELL}>
            {saga.customerId && saga.customerEmail ? (
              <Link
                href={`/admin/sagas${queryOfFilter({ customerId: saga.customerId })}`}
                className="break-all text-gray-800 hover:underline"
                title="Show only this customer's sagas"
              >
                {saga.customerEmail}
              </Link>
            ) : (
              "—"
            )}
          </td>
          <td className={`${CELL} text-right whitespace-nowrap`}>{saga.amountCents === null ? "—" : formatCents(saga.amountCents)}</td>
          <td className={`${CELL} whitespace-nowrap text-gray-700`}>
            <LocalDateTime date={saga.createdAt} />
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

/**
 * Where the saga stands, in words. A saga remembers its first failure (why it is being undone); one that needs
 * attention is stuck at the compensation of its current step, which is what an operator must fix.
 */
function SagaWhere({ saga }: { saga: SagaListRowView }) {
  const undoing = saga.status === "needs_attention" || saga.status === "compensating";
  return (
    <>
      {undoing && saga.currentStep && (
        <span className={`block font-medium ${saga.status === "needs_attention" ? "text-rose-800" : "text-amber-800"}`}>
          {saga.status === "needs_attention" ? `Undoing ${saga.currentStep} gave up` : `Undoing ${saga.currentStep}`}
        </span>
      )}
      {saga.failedStep ? (
        <>
          <span className="block font-medium">Failed at {saga.failedStep}</span>
          {saga.failureReason && <span className="block text-xs break-words text-gray-600">{saga.failureReason}</span>}
        </>
      ) : (
        !undoing && <span className="text-gray-700">{saga.currentStep ?? "—"}</span>
      )}
    </>
  );
}
