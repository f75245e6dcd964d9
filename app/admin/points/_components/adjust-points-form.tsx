"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { flushSync } from "react-dom";
import { FormError, TextField } from "@/app/_components/text-field";
import { formErrorsOf } from "@/app/_lib/api-errors";
import { useTRPC } from "@/app/_trpc/client";
import { AdminPanel } from "../../_components/admin-panel";
import { ConfirmDialog, type ConfirmDialogHandle } from "../../_components/confirm-dialog";
import { ConfirmingSubmitButton, FormAnswer } from "../../_components/confirmed-form";
import {
  adjustmentDone,
  adjustmentKeyFor,
  adjustmentOf,
  adjustmentQuestion,
  type AdjustmentFields,
  type AdjustmentKey,
  type AdjustmentRequest,
} from "./adjustment-words";

const EMPTY: AdjustmentFields = { customerEmail: "", points: "", reason: "" };

function useAdjustPoints(onAdjusted: () => void) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useMutation(
    trpc.admin.loyalty.adjust.mutationOptions({
      onSuccess: onAdjusted,
      // The recent adjustments below come from the audit log, which the server has just written to (or not).
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.admin.audit.list.queryKey() }),
    }),
  );
}

/**
 * Gives a customer points or takes some back, with a reason, once the admin has confirmed what will happen. The
 * customer sees the reason in their points history; the audit log keeps who did it.
 */
export function AdjustPointsForm() {
  const [fields, setFields] = useState(EMPTY);
  const [localErrors, setLocalErrors] = useState<Partial<AdjustmentFields>>({});
  // What the dialog asks about: the request as it was when the admin pressed the button.
  const [asking, setAsking] = useState<AdjustmentRequest>();
  // Read and written synchronously, so a retry of the same request carries the same key (see adjustmentKeyFor).
  const key = useRef<AdjustmentKey | null>(null);
  const dialog = useRef<ConfirmDialogHandle>(null);
  const submit = useRef<HTMLButtonElement>(null);
  const adjust = useAdjustPoints(() => {
    key.current = null;
    setFields(EMPTY);
  });
  const server = formErrorsOf(adjust.error);
  // A refused key has no field of its own: it is the whole request's.
  const formError = server.form ?? server.fields.idempotencyKey;
  const error = (name: keyof AdjustmentFields) => localErrors[name] ?? server.fields[name];
  const field = (name: keyof AdjustmentFields) => ({
    name,
    value: fields[name],
    onChange: (event: { target: { value: string } }) => setFields((before) => ({ ...before, [name]: event.target.value })),
    error: error(name),
  });

  return (
    <AdminPanel id="adjust-points-heading" title="Adjust a customer's points">
      <form
        noValidate
        className="grid gap-4 sm:grid-cols-2"
        onSubmit={(event) => {
          event.preventDefault();
          if (adjust.isPending) return;
          const { request, errors } = adjustmentOf(fields);
          setLocalErrors(errors);
          if (!request) return;
          // The question rendered before the dialog opens: its name is read out as focus moves into it.
          flushSync(() => setAsking(request));
          dialog.current?.open();
        }}
      >
        {formError && (
          <div className="sm:col-span-2">
            <FormError message={formError} />
          </div>
        )}
        <TextField label="Customer email" type="email" autoComplete="off" spellCheck={false} placeholder="pat@unicorn.test" {...field("customerEmail")} />
        {/* No numeric keypad: an iPhone's has no minus sign, and deductions need one. */}
        <TextField label="Points" placeholder="40" hint="Negative to deduct, like -15." {...field("points")} />
        <div className="sm:col-span-2">
          <TextField
            label="Reason"
            placeholder="Sorry about the late delivery"
            hint="The customer sees it in their points history."
            {...field("reason")}
          />
        </div>
        <div className="sm:col-span-2">
          <ConfirmingSubmitButton ref={submit} pending={adjust.isPending} wide>
            Adjust points
          </ConfirmingSubmitButton>
          <FormAnswer testId="adjust-message">
            {adjust.isSuccess &&
              adjustmentDone({ customerEmail: adjust.variables.customerEmail, points: adjust.data.adjustedPoints, repeated: adjust.data.repeated })}
          </FormAnswer>
        </div>
      </form>
      <ConfirmDialog
        ref={dialog}
        question={asking ? adjustmentQuestion(asking) : ""}
        confirmLabel={asking && asking.points < 0 ? "Take the points" : "Give the points"}
        tone={asking && asking.points < 0 ? "danger" : "primary"}
        onConfirm={() => {
          if (!asking) return;
          key.current = adjustmentKeyFor(key.current, asking);
          adjust.mutate({ ...asking, idempotencyKey: key.current.key });
        }}
        onClosed={() => submit.current?.focus()}
      >
        <p className="break-words">
          Reason: “{asking?.reason}”. The customer sees it in their points history, and the audit log records who adjusted them.
        </p>
      </ConfirmDialog>
    </AdminPanel>
  );
}
