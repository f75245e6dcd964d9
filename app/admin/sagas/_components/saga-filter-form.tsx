"use client";

import { useRouter } from "next/navigation";
import { useInBrowser } from "@/app/_components/local-date-time";
import { SelectField } from "@/app/_components/select-field";
import { TextField } from "@/app/_components/text-field";
import type { SagaListFilter } from "@/server/admin/sagas/saga-list-filter";
import { SAGA_STATUS, SAGA_STATUS_ORDER } from "../../_components/saga-status-badge";
import { isFiltered, queryOfFilter, type FilterKey } from "../_lib/saga-filter-params";
import { instantOfLocalInput, localInputValueOf } from "../../_lib/local-time-input";

const TIME_FIELDS = [
  { name: "from", label: "Started from" },
  { name: "to", label: "Started before" },
] as const;

const STATUS_OPTIONS = [{ value: "", label: "Any status" }, ...SAGA_STATUS_ORDER.map((status) => ({ value: status, label: SAGA_STATUS[status].label }))];

/**
 * The saga list's filters. Applying them changes the address (so the view can be shared and reloaded); the page reads
 * the filter back from it. Times are typed in the reader's own time zone and sent as instants.
 */
export function SagaFilterForm({ filter, errors }: { filter: SagaListFilter; errors: Partial<Record<FilterKey, string>> }) {
  const router = useRouter();
  // The browser alone knows the reader's time zone: the time fields are filled in once it renders them.
  const inBrowser = useInBrowser();
  const timeValue = (date?: Date) => (date && inBrowser ? localInputValueOf(date) : "");

  return (
    <form
      role="search"
      aria-label="Filter sagas"
      className="grid gap-3 rounded-2xl border border-gray-200 bg-white p-4 shadow-sm sm:grid-cols-2 lg:grid-cols-3"
      onSubmit={(event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        const text = (name: string) => String(form.get(name) ?? "");
        router.push(
          `/admin/sagas${queryOfFilter({
            search: text("search"),
            status: text("status"),
            sagaType: text("sagaType"),
            customerId: text("customerId"),
            from: instantOfLocalInput(text("from")),
            to: instantOfLocalInput(text("to")),
          })}`,
        );
      }}
    >
      <div className="sm:col-span-2 lg:col-span-3">
        <TextField
          label="Search"
          name="search"
          type="search"
          hint="A saga id, an order id or a customer's email address."
          defaultValue={filter.search ?? ""}
          error={errors.search}
        />
      </div>
      <SelectField label="Status" name="status" options={STATUS_OPTIONS} defaultValue={filter.status ?? ""} error={errors.status} />
      <TextField label="Saga type" name="sagaType" placeholder="checkout" defaultValue={filter.sagaType ?? ""} error={errors.sagaType} />
      <TextField label="Customer id" name="customerId" defaultValue={filter.customerId ?? ""} error={errors.customerId} />
      {TIME_FIELDS.map(({ name, label }) => (
        <TextField
          key={`${name}-${inBrowser}`}
          label={label}
          name={name}
          type="datetime-local"
          defaultValue={timeValue(filter[name])}
          error={errors[name]}
        />
      ))}
      <div className="flex items-end gap-2">
        <button type="submit" className="rounded-lg bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700">
          Apply filters
        </button>
        {(isFiltered(filter) || Object.keys(errors).length > 0) && (
          <button
            type="button"
            onClick={() => router.push("/admin/sagas")}
            className="rounded-lg border border-gray-300 px-4 py-2 font-semibold text-gray-800 hover:bg-gray-50"
          >
            Clear
          </button>
        )}
      </div>
    </form>
  );
}
