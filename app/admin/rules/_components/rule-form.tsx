"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { SelectField } from "@/app/_components/select-field";
import { FormError, SubmitButton, TextField } from "@/app/_components/text-field";
import { formErrorsOf } from "@/app/_lib/api-errors";
import { useTRPC } from "@/app/_trpc/client";
import { AdminPanel } from "../../_components/admin-panel";
import { ConfirmDialog, type ConfirmDialogHandle } from "../../_components/confirm-dialog";
import type { CampaignRuleDraftInput, CampaignRuleView } from "../../_lib/admin-api";
import { EMPTY_RULE_FORM, ruleDraftOf, ruleFormTextOf, type RuleFields, type RuleFormText, type RuleKind } from "./rule-draft";
import { RULE_KINDS } from "./rule-words";

const KIND_OPTIONS = (Object.keys(RULE_KINDS) as RuleKind[]).map((kind) => ({ value: kind, label: RULE_KINDS[kind] }));

function textOf(form: HTMLFormElement): RuleFormText {
  const data = new FormData(form);
  const text = (name: string) => String(data.get(name) ?? "");
  return {
    name: text("name"),
    kind: text("kind"),
    priority: text("priority"),
    minAmountCents: text("minAmountCents"),
    points: text("points"),
    percent: text("percent"),
    factor: text("factor"),
    activeFrom: text("activeFrom"),
    activeUntil: text("activeUntil"),
    enabled: data.get("enabled") === "on",
  };
}

function useRuleMutations(onSaved: (message?: string) => void) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.admin.loyalty.rules.list.queryKey() });
  return {
    create: useMutation(
      trpc.admin.loyalty.rules.create.mutationOptions({
        onSuccess: async () => {
          onSaved();
          await refresh();
        },
      }),
    ),
    update: useMutation(
      trpc.admin.loyalty.rules.update.mutationOptions({
        onSuccess: async ({ message }) => {
          onSaved(message);
          await refresh();
        },
      }),
    ),
  };
}

/**
 * Adds a campaign rule, or edits one (`editing`): an edit saves the rule's next version once confirmed, and the
 * version it replaces stays as it was for the purchases awarded under it. Kinds have their own numbers, so the fields
 * follow the kind chosen. The fields are checked with the server's own schema before anything is sent.
 */
export function RuleForm({ editing, onDone }: { editing: CampaignRuleView | null; onDone: (message?: string) => void }) {
  const initial = editing ? ruleFormTextOf(editing) : EMPTY_RULE_FORM;
  const [kind, setKind] = useState<RuleKind>(initial.kind as RuleKind);
  const [localErrors, setLocalErrors] = useState<RuleFields>({});
  const [pendingEdit, setPendingEdit] = useState<CampaignRuleDraftInput | null>(null);
  // A fresh, empty form after each rule created.
  const [formKey, setFormKey] = useState(0);
  const confirm = useRef<ConfirmDialogHandle>(null);
  const submit = useRef<HTMLButtonElement>(null);
  const { create, update } = useRuleMutations((message) => {
    setFormKey((key) => key + 1);
    if (editing) onDone(message);
  });
  // Asked to edit from the list: the form comes into view with its first field ready.
  useEffect(() => {
    if (!editing) return;
    document.getElementById("rule-form-heading")?.scrollIntoView({ block: "start" });
    document.getElementById("field-name")?.focus();
  }, [editing]);
  const active = editing ? update : create;
  const server = formErrorsOf(active.error);
  const error = (name: string) => localErrors[name] ?? server.fields[name];
  const nextVersion = editing ? editing.version + 1 : 1;

  return (
    <AdminPanel id="rule-form-heading" title={editing ? `Edit “${editing.name}” (version ${editing.version})` : "New rule"}>
      {editing && (
        <p className="text-sm text-gray-700">
          Saving makes version {nextVersion}. Version {editing.version} stays as it is, so the purchases already awarded under it keep
          naming it.
        </p>
      )}
      <form
        key={`${editing?.id ?? "new"}-${formKey}`}
        noValidate
        aria-labelledby="rule-form-heading"
        className="grid gap-4 sm:grid-cols-2"
        onSubmit={(event) => {
          event.preventDefault();
          const { draft, errors } = ruleDraftOf(textOf(event.currentTarget));
          setLocalErrors(errors);
          if (!draft) return;
          if (!editing) return create.mutate(draft);
          setPendingEdit(draft);
          confirm.current?.open();
        }}
      >
        <div className="sm:col-span-2">
          <FormError message={server.form ?? localErrors.form} />
        </div>
        <TextField label="Name" name="name" placeholder="Spring bonus" defaultValue={initial.name} error={error("name")} />
        <SelectField
          label="Kind"
          name="kind"
          options={KIND_OPTIONS}
          value={kind}
          onChange={(event) => setKind(event.target.value as RuleKind)}
          error={error("kind")}
        />
        {kind === "threshold" && (
          <>
            <TextField
              label="Minimum purchase (USD)"
              name="minAmountCents"
              inputMode="decimal"
              placeholder="50.00"
              defaultValue={initial.minAmountCents}
              error={error("minAmountCents")}
            />
            <TextField label="Points awarded" name="points" inputMode="numeric" placeholder="100" defaultValue={initial.points} error={error("points")} />
          </>
        )}
        {kind === "percentage" && (
          <TextField
            label="Percent of the amount"
            name="percent"
            inputMode="decimal"
            placeholder="10"
            hint="10% of $120.00 earns 12 points."
            defaultValue={initial.percent}
            error={error("percent")}
          />
        )}
        {kind === "multiplier" && (
          <TextField label="Factor" name="factor" inputMode="numeric" placeholder="2" hint="From 2 to 10." defaultValue={initial.factor} error={error("factor")} />
        )}
        <TextField label="Priority" name="priority" inputMode="numeric" placeholder="10" hint="Higher wins." defaultValue={initial.priority} error={error("priority")} />
        <TextField label="Active from (optional)" name="activeFrom" type="datetime-local" defaultValue={initial.activeFrom} error={error("activeFrom")} />
        <TextField label="Active until (optional)" name="activeUntil" type="datetime-local" defaultValue={initial.activeUntil} error={error("activeUntil")} />
        <label className="flex items-center gap-2 text-sm font-medium text-gray-800 sm:col-span-2">
          <input type="checkbox" name="enabled" className="size-4" defaultChecked={initial.enabled} />
          {editing ? "Enabled" : "Enabled as soon as it is created"}
        </label>
        <div className="flex flex-wrap gap-2 sm:col-span-2">
          {editing ? (
            <>
              <button
                ref={submit}
                type="submit"
                aria-disabled={update.isPending || undefined}
                className="rounded-lg bg-brand-600 px-4 py-2.5 font-semibold text-white hover:bg-brand-700 aria-disabled:cursor-wait aria-disabled:opacity-70"
              >
                {update.isPending ? "Please wait…" : `Save version ${nextVersion}`}
              </button>
              <button
                type="button"
                onClick={() => onDone()}
                className="rounded-lg border border-gray-300 px-4 py-2.5 font-semibold text-gray-800 hover:bg-gray-50"
              >
                Cancel the edit
              </button>
            </>
          ) : (
            <SubmitButton pending={create.isPending}>Create rule</SubmitButton>
          )}
        </div>
      </form>
      <div role="status" aria-live="polite" data-testid="rule-form-answer">
        {create.isSuccess && !editing && <p className="text-sm font-medium text-emerald-700">Created “{create.data.name}”.</p>}
      </div>
      {editing && (
        <ConfirmDialog
          ref={confirm}
          question={`Save “${pendingEdit?.name ?? editing.name}” as version ${nextVersion}?`}
          confirmLabel={`Save version ${nextVersion}`}
          onConfirm={() => {
            if (pendingEdit) update.mutate({ ...pendingEdit, id: editing.id });
          }}
          onClosed={() => submit.current?.focus()}
        >
          Purchases from now on earn under version {nextVersion}. Version {editing.version} of “{editing.name}” is kept, unchanged, for
          the purchases already awarded under it.
        </ConfirmDialog>
      )}
    </AdminPanel>
  );
}
