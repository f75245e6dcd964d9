"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { flushSync } from "react-dom";
import { LocalDateTime } from "@/app/_components/local-date-time";
import { FormError, TextField } from "@/app/_components/text-field";
import { formErrorsOf } from "@/app/_lib/api-errors";
import { useTRPC } from "@/app/_trpc/client";
import { describeRedemptionRule } from "@/server/admin/loyalty/redemption-rule-words";
import { AdminPanel } from "../../_components/admin-panel";
import { ConfirmDialog, type ConfirmDialogHandle } from "../../_components/confirm-dialog";
import { ConfirmingSubmitButton, FormAnswer } from "../../_components/confirmed-form";
import type { RedemptionRuleInput, RedemptionRuleView } from "../../_lib/admin-api";
import { SLOW_REFRESH_MS } from "../../_lib/live";
import { redemptionRuleFieldsOf, redemptionRuleOf, type RedemptionRuleFields } from "./redemption-rule-fields";

/**
 * What points are worth at checkout: everyone on staff sees the rule in force; admins change it, once they have
 * confirmed what the new rule will be. The change and its audit line are saved together.
 */
export function RedemptionRulePanel({ initialRule, canAct }: { initialRule: RedemptionRuleView; canAct: boolean }) {
  const trpc = useTRPC();
  const rule = useQuery(trpc.admin.loyalty.redemptionRule.get.queryOptions(undefined, { initialData: initialRule, refetchInterval: SLOW_REFRESH_MS })).data;
  return (
    <AdminPanel id="redemption-rule-heading" title="Paying with points" testId="redemption-rule">
      <p className="text-sm text-gray-700">
        At checkout a shopper may use points for part of the price:{" "}
        <strong data-testid="redemption-rule-in-force">{describeRedemptionRule(rule)}</strong>. Points that expire first are used first.
        {rule.updatedAt && (
          <span className="block text-xs text-gray-500">
            Last changed <LocalDateTime date={rule.updatedAt} />.
          </span>
        )}
      </p>
      {canAct && <RedemptionRuleForm rule={rule} />}
    </AdminPanel>
  );
}

function RedemptionRuleForm({ rule }: { rule: RedemptionRuleView }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [fields, setFields] = useState<RedemptionRuleFields>(() => redemptionRuleFieldsOf(rule));
  const [localErrors, setLocalErrors] = useState<Partial<RedemptionRuleFields>>({});
  // What the dialog asks about: the rule as it was when the admin pressed the button.
  const [asking, setAsking] = useState<RedemptionRuleInput>();
  const dialog = useRef<ConfirmDialogHandle>(null);
  const submit = useRef<HTMLButtonElement>(null);
  const update = useMutation(
    trpc.admin.loyalty.redemptionRule.update.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.admin.loyalty.redemptionRule.get.queryKey() }),
    }),
  );
  const server = formErrorsOf(update.error);
  const field = (name: keyof RedemptionRuleFields) => ({
    name,
    value: fields[name],
    onChange: (event: { target: { value: string } }) => setFields((before) => ({ ...before, [name]: event.target.value })),
    error: localErrors[name] ?? server.fields[name],
  });

  return (
    <>
      <form
        noValidate
        className="grid gap-4 sm:grid-cols-3"
        onSubmit={(event) => {
          event.preventDefault();
          if (update.isPending) return;
          const { rule: next, errors } = redemptionRuleOf(fields);
          setLocalErrors(errors);
          if (!next) return;
          // The question rendered before the dialog opens: its name is read out as focus moves into it.
          flushSync(() => setAsking(next));
          dialog.current?.open();
        }}
      >
        {server.form && (
          <div className="sm:col-span-3">
            <FormError message={server.form} />
          </div>
        )}
        <TextField label="Points per step" inputMode="numeric" placeholder="100" {...field("pointsPerStep")} />
        <TextField label="Worth (USD)" inputMode="decimal" placeholder="5.00" hint="What those points take off." {...field("centsPerStep")} />
        <TextField
          label="At most (% of an order)"
          inputMode="numeric"
          placeholder="50"
          hint="From 1 to 99."
          {...field("maxDiscountPercent")}
        />
        <div className="sm:col-span-3">
          <ConfirmingSubmitButton ref={submit} pending={update.isPending}>
            Save the rule
          </ConfirmingSubmitButton>
          <FormAnswer testId="redemption-rule-message">{update.isSuccess && `Saved: ${describeRedemptionRule(update.data)}.`}</FormAnswer>
        </div>
      </form>
      <ConfirmDialog
        ref={dialog}
        question="Change what points are worth?"
        confirmLabel="Save the rule"
        onConfirm={() => {
          if (asking) update.mutate(asking);
        }}
        onClosed={() => submit.current?.focus()}
      >
        <p>
          From now on: {asking ? describeRedemptionRule(asking) : ""}. Checkouts whose points are already used keep their discount, and the
          audit log records who changed the rule.
        </p>
      </ConfirmDialog>
    </>
  );
}
