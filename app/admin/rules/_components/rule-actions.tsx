"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/client";
import { ConfirmButton } from "../../_components/confirm-button";
import type { CampaignRuleView } from "../../_lib/admin-api";

/** What turning a rule on or off changes, in the words of its confirmation. */
function switchWords(rule: CampaignRuleView): string {
  if (rule.enabled) return "Purchases from now on no longer earn under it. It can be turned back on later.";
  if (rule.state === "ended") return "It is switched on, but its window has ended: it applies to no purchase until its window is edited.";
  if (rule.state === "scheduled") return "It applies to purchases once its window opens.";
  return "Purchases from now on earn under it.";
}

/**
 * An admin's actions on one rule, each confirmed in a dialog naming the rule and what changes, and audited: switching it
 * on or off, editing it (the form below takes over), retiring it for good. A retired rule has none.
 */
export function RuleActions({
  rule,
  onEdit,
  onAnswer,
}: {
  rule: CampaignRuleView;
  onEdit: () => void;
  onAnswer: (answer: { message?: string; error?: unknown }) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const settled = {
    onError: (error: unknown) => onAnswer({ error }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.admin.loyalty.rules.list.queryKey() }),
  };
  const setEnabled = useMutation(
    trpc.admin.loyalty.rules.setEnabled.mutationOptions({
      ...settled,
      onSuccess: (saved) => onAnswer({ message: `${saved.enabled ? "Turned on" : "Turned off"} “${saved.name}”.` }),
    }),
  );
  const retire = useMutation(trpc.admin.loyalty.rules.retire.mutationOptions({ ...settled, onSuccess: ({ message }) => onAnswer({ message }) }));
  if (rule.state === "retired") return null;
  const turn = rule.enabled ? "Turn off" : "Turn on";

  return (
    <div className="flex flex-wrap gap-2">
      <ConfirmButton
        label={turn}
        question={`${turn} “${rule.name}”?`}
        pending={setEnabled.isPending}
        onConfirm={() => setEnabled.mutate({ id: rule.id, enabled: !rule.enabled })}
      >
        {switchWords(rule)} The audit log records who did it.
      </ConfirmButton>
      <button
        type="button"
        onClick={onEdit}
        className="rounded-lg border border-gray-300 px-3 py-2 text-sm font-semibold text-gray-800 hover:bg-gray-50"
      >
        Edit
      </button>
      <ConfirmButton
        label="Retire"
        question={`Retire “${rule.name}”?`}
        tone="danger"
        pending={retire.isPending}
        onConfirm={() => retire.mutate({ id: rule.id })}
      >
        It is switched off for good: never applied again, and it cannot be turned back on or edited. Purchases already awarded
        under it keep naming it. The audit log records who retired it.
      </ConfirmButton>
    </div>
  );
}
