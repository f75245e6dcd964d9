"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { FormError, SubmitButton, TextField } from "@/app/_components/text-field";
import { formErrorsOf } from "@/app/_lib/api-errors";
import { useIdempotencyKey } from "@/app/_lib/use-idempotency-key";
import { useTRPC } from "@/app/_trpc/client";
import { formatPoints } from "@/server/loyalty/points/format-points";

/** "250" → 250; anything but a whole number of points gets a message instead. */
function parsePoints(text: string): { ok: true; points: number } | { ok: false; message: string } {
  const trimmed = text.trim().replaceAll(",", "");
  if (!/^\d+$/.test(trimmed)) return { ok: false, message: "Enter a whole number of points, like 50." };
  return { ok: true, points: Number(trimmed) };
}

/** Spends points, first-expiring first; the shop refuses more than is available and says so. */
export function RedeemForm({ availablePoints }: { availablePoints: number }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [pointsText, setPointsText] = useState("");
  const [pointsError, setPointsError] = useState<string>();
  const [idempotencyKey, renewIdempotencyKey] = useIdempotencyKey();
  const redeem = useMutation(
    trpc.loyalty.redeem.mutationOptions({
      onSuccess: async () => {
        setPointsText("");
        renewIdempotencyKey();
        await queryClient.invalidateQueries({ queryKey: trpc.loyalty.pathKey() });
      },
    }),
  );
  const serverErrors = formErrorsOf(redeem.error);

  return (
    <section aria-labelledby="points-redeem-heading" className="min-w-0 rounded-2xl border border-gray-200 bg-white p-6 shadow-sm">
      <form
        noValidate
        className="space-y-4"
        onSubmit={(event) => {
          event.preventDefault();
          const parsed = parsePoints(pointsText);
          if (!parsed.ok) return setPointsError(parsed.message);
          setPointsError(undefined);
          redeem.mutate({ points: parsed.points, idempotencyKey });
        }}
      >
        <h2 id="points-redeem-heading" className="text-lg font-semibold">
          Redeem points
        </h2>
        <FormError message={serverErrors.form} />
        <TextField
          label="Points to redeem"
          name="points"
          inputMode="numeric"
          placeholder="50"
          hint={`You have ${formatPoints(availablePoints)} available.`}
          value={pointsText}
          onChange={(event) => setPointsText(event.target.value)}
          error={pointsError ?? serverErrors.fields.points}
        />
        <SubmitButton pending={redeem.isPending}>Redeem</SubmitButton>
        {redeem.isSuccess && (
          <p role="status" className="text-sm font-medium text-emerald-700">
            Redeemed {formatPoints(redeem.data.redeemedPoints)}. Your balance updates in a moment.
          </p>
        )}
      </form>
    </section>
  );
}
