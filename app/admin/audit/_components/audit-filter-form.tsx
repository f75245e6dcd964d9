"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { useInBrowser } from "@/app/_components/local-date-time";
import { SelectField } from "@/app/_components/select-field";
import { TextField } from "@/app/_components/text-field";
import { AUDIT_ACTION_WORDS, auditActionWords, KNOWN_AUDIT_ACTIONS } from "@/server/admin/audit/audit-actions";
import { DATE_ORDER_MESSAGE, isBackwardsRange, type AuditFilter } from "@/server/admin/audit/audit-filter";
import { instantOfLocalInput, localInputValueOf } from "../../_lib/local-time-input";
import { auditHrefOf, type AuditFilterKey } from "../_lib/audit-filter-params";

const TIME_FIELDS = [
  { name: "from", label: "From" },
  { name: "to", label: "Before" },
] as const;

/**
 * The audit log's filters. Applying them changes the address, which the page reads back. A range that ends before it
 * starts is refused here, before asking, with what was typed left as it was (the server refuses it too).
 */
export function AuditFilterForm({ filter, errors }: { filter: AuditFilter; errors: Partial<Record<AuditFilterKey, string>> }) {
  const router = useRouter();
  const inBrowser = useInBrowser();
  const [localErrors, setLocalErrors] = useState<Partial<Record<AuditFilterKey, string>>>({});
  const timeValue = (date?: Date) => (date && inBrowser ? localInputValueOf(date) : "");
  const error = (key: AuditFilterKey) => localErrors[key] ?? errors[key];
  const actions = filter.action && !(filter.action in AUDIT_ACTION_WORDS) ? [...KNOWN_AUDIT_ACTIONS, filter.action] : KNOWN_AUDIT_ACTIONS;
  const options = [{ value: "", label: "Any action" }, ...actions.map((action) => ({ value: action, label: auditActionWords(action) }))];

  return (
    <form
      role="search"
      aria-label="Filter the audit log"
      noValidate
      className="grid gap-3 rounded-2xl border border-gray-200 bg-white p-4 shadow-sm sm:grid-cols-2 lg:grid-cols-4"
      onSubmit={(event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        const text = (name: string) => String(form.get(name) ?? "");
        const range = { from: instantOfLocalInput(text("from")), to: instantOfLocalInput(text("to")) };
        const next: Partial<Record<AuditFilterKey, string>> = {};
        if (text("from") !== "" && !range.from) next.from = "Give the start as a date and time.";
        if (text("to") !== "" && !range.to) next.to = "Give the end as a date and time.";
        if (isBackwardsRange(range)) next.to = DATE_ORDER_MESSAGE;
        setLocalErrors(next);
        if (Object.keys(next).length > 0) return;
        router.push(auditHrefOf({ actor: text("actor"), action: text("action"), targetId: text("targetId"), ...range }));
      }}
    >
      <TextField label="Actor" name="actor" type="search" hint="An email, or part of one." defaultValue={filter.actor ?? ""} error={error("actor")} />
      <SelectField label="Action" name="action" options={options} defaultValue={filter.action ?? ""} error={error("action")} />
      {TIME_FIELDS.map(({ name, label }) => (
        <TextField
          key={`${name}-${inBrowser}`}
          label={label}
          name={name}
          type="datetime-local"
          defaultValue={timeValue(filter[name])}
          error={error(name)}
        />
      ))}
      <div className="sm:col-span-2 lg:col-span-3">
        <TextField label="Target" name="targetId" hint="A saga id, a rule's id, a queue job as queue/job id…" defaultValue={filter.targetId ?? ""} error={error("targetId")} />
      </div>
      <div className="flex items-end gap-2">
        <button type="submit" className="rounded-lg bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700">
          Apply filters
        </button>
        <button
          type="button"
          onClick={() => {
            setLocalErrors({});
            router.push("/admin/audit");
          }}
          className="rounded-lg border border-gray-300 px-4 py-2 font-semibold text-gray-800 hover:bg-gray-50"
        >
          Clear
        </button>
      </div>
    </form>
  );
}
