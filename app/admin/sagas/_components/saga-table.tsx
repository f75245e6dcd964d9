import Link from "next/link";
import { LocalDateTime } from "@/app/_components/local-date-time";
import { formatCents } from "@/server/retail/money";
import { CELL } from "../../_components/admin-panel";
import { SagaStatusBadge } from "../../_components/saga-status-badge";
import type { SagaListRowView } from "../../_lib/admin-api";
import { shortSagaId } from "../../_lib/saga-words";
import { queryOfFilter } from "../_lib/saga-filter-params";

/** Which sagas an operator has picked for a bulk action, and how to change that (the saga list only). */
export type SagaPicking = {
  picked: ReadonlySet<string>;
  toggle(sagaId: string, on: boolean): void;
  /** Every saga on the page, or none. */
  toggleAll(on: boolean): void;
};

const COLUMNS = [
  { label: "Saga" },
  { label: "Status" },
  { label: "Step / reason" },
  { label: "Customer" },
  { label: "Amount", align: "right" as const },
  { label: "Started" },
];

// Under the sm breakpoint each row is a card (a wrapped flex row): status, id, amount, then customer and start time on
// lines of their own, so nothing that matters is off screen at 390 px; from sm up it is an ordinary table row.
const ROW = "align-top max-sm:flex max-sm:flex-wrap max-sm:items-center max-sm:gap-x-3 max-sm:gap-y-1 max-sm:py-3";
const ON_PHONE = { pick: "max-sm:order-0", id: "max-sm:order-2", status: "max-sm:order-1", where: "max-sm:order-6 max-sm:w-full", customer: "max-sm:order-4 max-sm:w-full", amount: "max-sm:order-3 max-sm:ml-auto", started: "max-sm:order-5 max-sm:w-full" };
const PHONE_CELL = `${CELL} max-sm:p-0`;

/** Sagas as rows: which, how it stands (and why it failed), whose, how much, when; with checkboxes when `picking`. */
export function SagaTable({ sagas, caption, testId, picking }: { sagas: SagaListRowView[]; caption: string; testId: string; picking?: SagaPicking }) {
  const allPicked = picking !== undefined && sagas.length > 0 && sagas.every((saga) => picking.picked.has(saga.id));
  return (
    // Focusable and named, so that a keyboard can scroll it too when it is wider than the screen (from sm up).
    <div role="region" aria-label={caption} tabIndex={0} className="rounded-2xl border border-gray-200 bg-white px-3 shadow-sm sm:overflow-x-auto sm:pr-0">
      <table className="w-full text-left text-sm sm:min-w-[50rem]" data-testid={testId}>
        <caption className="sr-only">{caption}</caption>
        <thead className="text-gray-700 max-sm:sr-only">
          <tr>
            {picking && (
              <th scope="col" className={`${CELL} w-8`}>
                <input
                  type="checkbox"
                  className="size-4 accent-brand-700"
                  aria-label="Pick every saga on this page"
                  checked={allPicked}
                  onChange={(event) => picking.toggleAll(event.target.checked)}
                  data-testid="pick-all"
                />
              </th>
            )}
            {COLUMNS.map((column) => (
              <th key={column.label} scope="col" className={`${CELL} font-semibold ${column.align === "right" ? "text-right" : ""}`}>
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-gray-100">
          {sagas.map((saga) => (
            <tr key={saga.id} data-testid="saga-row" data-saga-id={saga.id} className={ROW}>
              {picking && (
                <td className={`${PHONE_CELL} ${ON_PHONE.pick}`}>
                  <input
                    type="checkbox"
                    className="size-4 accent-brand-700"
                    aria-label={`Pick saga ${shortSagaId(saga.id)}`}
                    checked={picking.picked.has(saga.id)}
                    onChange={(event) => picking.toggle(saga.id, event.target.checked)}
                    data-testid="pick-saga"
                  />
                </td>
              )}
              <td className={`${PHONE_CELL} ${ON_PHONE.id}`}>
                {/* One box (inline-block), so the hidden word does not become a fragment of its own to aim at. */}
                <Link href={`/admin/sagas/${saga.id}`} className="inline-block font-mono font-semibold text-brand-700 hover:underline">
                  <span className="sr-only">Saga </span>
                  {shortSagaId(saga.id)}
                </Link>
                <span className="block text-xs text-gray-500 max-sm:hidden">{saga.sagaType}</span>
              </td>
              <td className={`${PHONE_CELL} ${ON_PHONE.status}`} data-testid="saga-row-status">
                <SagaStatusBadge status={saga.status} />
              </td>
              <td className={`${PHONE_CELL} sm:max-w-72 sm:min-w-52 ${ON_PHONE.where}`}>
                <SagaWhere saga={saga} />
              </td>
              <td className={`${PHONE_CELL} ${ON_PHONE.customer}`} data-testid="saga-row-customer">
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
              <td className={`${PHONE_CELL} text-right whitespace-nowrap max-sm:font-semibold ${ON_PHONE.amount}`} data-testid="saga-row-amount">
                {saga.amountCents === null ? "—" : formatCents(saga.amountCents)}
              </td>
              <td className={`${PHONE_CELL} whitespace-nowrap text-gray-700 ${ON_PHONE.started}`} data-testid="saga-row-started">
                <span className="sm:hidden">Started </span>
                <LocalDateTime date={saga.createdAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
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
