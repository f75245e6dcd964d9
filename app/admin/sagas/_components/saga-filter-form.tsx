"use client";

import { useRouter } from "next/navigation";
import { useInBrowser } from "@/app/_components/local-date-time";
import { SelectField } from "@/app/_components/select-field";
import { TextField } from "@/app/_components/text-field";
import { SAGA_STATUS, SAGA_STATUS_ORDER } from "../../_components/saga-status-badge";
import { isFiltered, queryOfFilter, type FilterKey, type FilterValues } from "../_lib/saga-filter-params";
import { instantOfLocalInput, localInputValueOf } from "../../_lib/local-time-input";

const TIME_FIELDS = [
  { name: "from", label: "Started from" },
  { name: "to", label: "Started before" },
] as const;

const STATUS_OPTIONS = [{ value: "", label: "Any status" }, ...SAGA_STATUS_ORDER.map((status) => ({ value: status, label: SAGA_STATUS[status].label }))];

/**
 * The saga list's filters. Applying them changes the address (so the view can be shared and reloaded); the page reads
 * the filter back from it. Times are typed in the reader's own time zone and sent as instants. Every field shows back
 * what was typed, usable or not, with its error beside it.
 */
export function SagaFilterForm({ values, errors }: { values: FilterValues; errors: Partial<Record<FilterKey, string>> }) {
  const router = useRouter();
  // The browser alone knows the reader's time zone: the time fields are filled in once it renders them.
  const inBrowser = useInBrowser();
  // A time that is not one (from an edited address) cannot be shown in a time field: its error says so.
  const timeValue = (date?: string | Date) => (date instanceof Date && inBrowser ? localInputValueOf(date) : "");
  const textValue = (key: FilterKey) => {
    const value = values[key];
    return typeof value === "string" ? value : "";
  };

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
          hint="An id or order number (in full or its first 6 characters, such as 83da3a7e or #83DA3A7E), part of a customer's email, or a product name."
          defaultValue={textValue("search")}
          error={errors.search}
        />
      </div>
      <SelectField label="Status" name="status" options={STATUS_OPTIONS} defaultValue={textValue("status")} error={errors.status} />
      <TextField label="Saga type" name="sagaType" placeholder="checkout" defaultValue={textValue("sagaType")} error={errors.sagaType} />
      <TextField label="Customer id" name="customerId" defaultValue={textValue("customerId")} error={errors.customerId} />
      {TIME_FIELDS.map(({ name, label }) => (
        <TextField
          key={`${name}-${inBrowser}`}
          label={label}
          name={name}
          type="datetime-local"
          defaultValue={timeValue(values[name])}
          error={errors[name]}
        />
      ))}
      <div className="flex items-end gap-2">
        <button type="submit" className="rounded-lg bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700">
          Apply filters
        </button>
        {isFiltered(values) && (
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
