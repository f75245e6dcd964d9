"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { LocalDateTime } from "@/app/_components/local-date-time";
import { messageOf } from "@/app/_lib/api-errors";
import { useTRPC } from "@/app/_trpc/client";
import { AdminPanel, CELL, DataTable } from "../../_components/admin-panel";
import type { CampaignRuleView } from "../../_lib/admin-api";
import { SLOW_REFRESH_MS } from "../../_lib/live";
import { RuleForm } from "./rule-form";
import { RULE_KINDS, ruleNumbers } from "./rule-words";

const COLUMNS = [{ label: "Rule" }, { label: "Earns" }, { label: "Active" }, { label: "Priority", align: "right" as const }, { label: "Enabled" }];

/** Every campaign rule, highest priority first; admins switch each on or off and add new ones. */
export function RulesPanel({ initialRules, canAct }: { initialRules: CampaignRuleView[]; canAct: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const rules = useQuery(trpc.admin.loyalty.rules.list.queryOptions(undefined, { initialData: initialRules, refetchInterval: SLOW_REFRESH_MS })).data;
  const setEnabled = useMutation(
    trpc.admin.loyalty.rules.setEnabled.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.admin.loyalty.rules.list.queryKey() }),
    }),
  );

  return (
    <div className="space-y-6">
      <AdminPanel id="rules-heading" title="Rules, highest priority first">
        <p className="text-sm text-gray-700">
          One earning rule (threshold or percentage) wins per purchase: the highest priority among those that award points. The active
          multiplier with the highest priority then multiplies it.
        </p>
        {setEnabled.error && (
          <p role="alert" className="rounded-lg bg-rose-50 px-3 py-2 text-sm font-medium text-rose-800">
            {messageOf(setEnabled.error)}
          </p>
        )}
        <DataTable caption="Campaign rules, highest priority first" columns={COLUMNS} minWidth="min-w-[40rem]" testId="rules-table">
          {rules.map((rule) => (
            <tr key={rule.id} data-testid="rule-row" data-rule-name={rule.name}>
              <th scope="row" className={`${CELL} font-medium`}>
                {rule.name}
                <span className="block text-xs font-normal text-gray-500">{RULE_KINDS[rule.kind]}</span>
              </th>
              <td className={CELL}>{ruleNumbers(rule)}</td>
              <td className={`${CELL} text-gray-700`}>
                <RuleWindow from={rule.activeFrom ?? null} until={rule.activeUntil ?? null} />
              </td>
              <td className={`${CELL} text-right tabular-nums`}>{rule.priority}</td>
              <td className={CELL}>
                {canAct ? (
                  <button
                    type="button"
                    role="switch"
                    aria-checked={rule.enabled}
                    aria-label={`${rule.name} enabled`}
                    disabled={setEnabled.isPending}
                    onClick={() => setEnabled.mutate({ id: rule.id, enabled: !rule.enabled })}
                    className={`rounded-full px-3 py-1 text-xs font-semibold ring-1 disabled:cursor-wait ${rule.enabled ? "bg-emerald-100 text-emerald-900 ring-emerald-300" : "bg-gray-100 text-gray-700 ring-gray-300"}`}
                  >
                    {rule.enabled ? "On" : "Off"}
                  </button>
                ) : (
                  <span className="text-xs font-semibold">{rule.enabled ? "On" : "Off"}</span>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      </AdminPanel>
      {canAct && <RuleForm />}
    </div>
  );
}

function RuleWindow({ from, until }: { from: Date | null; until: Date | null }) {
  if (!from && !until) return <>Always</>;
  return (
    <>
      {from ? <LocalDateTime date={from} /> : "Any time"} – {until ? <LocalDateTime date={until} /> : "no end"}
    </>
  );
}
