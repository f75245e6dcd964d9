"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { SelectField } from "@/app/_components/select-field";
import { FormError, SubmitButton, TextField } from "@/app/_components/text-field";
import { formErrorsOf } from "@/app/_lib/api-errors";
import { useTRPC } from "@/app/_trpc/client";
import { parseDollarsToCents } from "@/server/retail/money";
import { AdminPanel } from "../../_components/admin-panel";
import type { CampaignRuleDraftInput, CampaignRuleView } from "../../_lib/admin-api";
import { instantOfLocalInput } from "../../_lib/local-time-input";
import { RULE_KINDS } from "./rule-words";

type Kind = CampaignRuleView["kind"];
type Fields = Record<string, string | undefined>;

const KIND_OPTIONS = (Object.keys(RULE_KINDS) as Kind[]).map((kind) => ({ value: kind, label: RULE_KINDS[kind] }));
const WHOLE = /^-?\d+$/;

/**
 * Reads the form into a rule draft, catching only what the browser can tell (a number that is not a number); every
 * rule about rules (ranges, the window's order) is the server's, and its field errors come back next to the fields.
 */
function draftOf(form: FormData): { draft?: CampaignRuleDraftInput; errors: Fields } {
  const text = (name: string) => String(form.get(name) ?? "").trim();
  const errors: Fields = {};
  const whole = (name: string, example: string) => {
    if (!WHOLE.test(text(name))) errors[name] = `Enter a whole number, like ${example}.`;
    return Number(text(name));
  };
  const instant = (name: string) => {
    if (text(name) === "") return null;
    const date = instantOfLocalInput(text(name));
    if (!date) errors[name] = "Enter a date and time.";
    return date ?? null;
  };
  const common = {
    name: text("name"),
    enabled: form.get("enabled") === "on",
    priority: whole("priority", "10"),
    activeFrom: instant("activeFrom"),
    activeUntil: instant("activeUntil"),
  };
  const kind = text("kind") as Kind;
  let draft: CampaignRuleDraftInput;
  if (kind === "threshold") {
    const amount = parseDollarsToCents(text("minAmountCents"));
    if (!amount.ok) errors.minAmountCents = amount.message;
    draft = { ...common, kind, minAmountCents: amount.ok ? amount.cents : 0, points: whole("points", "100") };
  } else if (kind === "percentage") {
    if (!/^\d+(\.\d+)?$/.test(text("percent"))) errors.percent = "Enter a percentage, like 10 or 12.5.";
    draft = { ...common, kind, percent: Number(text("percent")) };
  } else {
    draft = { ...common, kind: "multiplier" as const, factor: whole("factor", "2") };
  }
  return Object.keys(errors).length > 0 ? { errors } : { draft, errors };
}

function useCreateRule(onCreated: () => void) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useMutation(
    trpc.admin.loyalty.rules.create.mutationOptions({
      onSuccess: async () => {
        onCreated();
        await queryClient.invalidateQueries({ queryKey: trpc.admin.loyalty.rules.list.queryKey() });
      },
    }),
  );
}

/** Adds a campaign rule. Kinds have their own numbers, so the fields follow the kind chosen. */
export function RuleForm() {
  const [kind, setKind] = useState<Kind>("threshold");
  const [localErrors, setLocalErrors] = useState<Fields>({});
  // A fresh, empty form after each rule created.
  const [formKey, setFormKey] = useState(0);
  const create = useCreateRule(() => setFormKey((key) => key + 1));
  const server = formErrorsOf(create.error);
  const error = (name: string) => localErrors[name] ?? server.fields[name];

  return (
    <AdminPanel id="new-rule-heading" title="New rule">
      <form
        key={formKey}
        noValidate
        className="grid gap-4 sm:grid-cols-2"
        onSubmit={(event) => {
          event.preventDefault();
          const { draft, errors } = draftOf(new FormData(event.currentTarget));
          setLocalErrors(errors);
          if (draft) create.mutate(draft);
        }}
      >
        <div className="sm:col-span-2">
          <FormError message={server.form} />
        </div>
        <TextField label="Name" name="name" placeholder="Spring bonus" error={error("name")} />
        <SelectField
          label="Kind"
          name="kind"
          options={KIND_OPTIONS}
          value={kind}
          onChange={(event) => setKind(event.target.value as Kind)}
          error={error("kind")}
        />
        {kind === "threshold" && (
          <>
            <TextField label="Minimum purchase (USD)" name="minAmountCents" inputMode="decimal" placeholder="50.00" error={error("minAmountCents")} />
            <TextField label="Points awarded" name="points" inputMode="numeric" placeholder="100" error={error("points")} />
          </>
        )}
        {kind === "percentage" && (
          <TextField
            label="Percent of the amount"
            name="percent"
            inputMode="decimal"
            placeholder="10"
            hint="10% of $120.00 earns 12 points."
            error={error("percent")}
          />
        )}
        {kind === "multiplier" && (
          <TextField label="Factor" name="factor" inputMode="numeric" placeholder="2" hint="From 2 to 10." error={error("factor")} />
        )}
        <TextField label="Priority" name="priority" inputMode="numeric" placeholder="10" hint="Higher wins." error={error("priority")} />
        <TextField label="Active from (optional)" name="activeFrom" type="datetime-local" error={error("activeFrom")} />
        <TextField label="Active until (optional)" name="activeUntil" type="datetime-local" error={error("activeUntil")} />
        <label className="flex items-center gap-2 text-sm font-medium text-gray-800 sm:col-span-2">
          <input type="checkbox" name="enabled" className="size-4" /> Enabled as soon as it is created
        </label>
        <div className="sm:col-span-2">
          <SubmitButton pending={create.isPending}>Create rule</SubmitButton>
        </div>
        {create.isSuccess && (
          <p role="status" className="text-sm font-medium text-emerald-700 sm:col-span-2">
            Created “{create.data.name}”.
          </p>
        )}
      </form>
    </AdminPanel>
  );
}
