"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { LocalDateTime } from "@/app/_components/local-date-time";
import { messageOf } from "@/app/_lib/api-errors";
import { useTRPC } from "@/app/_trpc/client";
import { CAMPAIGN_RULE_STATE_WORDS, type CampaignRuleState } from "@/server/loyalty/rules/campaign-rule-state";
import { AdminPanel, CELL, DataTable } from "../../_components/admin-panel";
import type { CampaignRuleView } from "../../_lib/admin-api";
import { SLOW_REFRESH_MS } from "../../_lib/live";
import { RuleActions } from "./rule-actions";
import { RuleForm } from "./rule-form";
import { RULE_KINDS, ruleNumbers } from "./rule-words";

const COLUMNS = [
  { label: "Rule" },
  { label: "Earns" },
  { label: "Active" },
  { label: "Priority", align: "right" as const },
  { label: "State" },
  { label: "Actions" },
];

const STATE_TONES: Record<CampaignRuleState, string> = {
  on: "bg-emerald-100 text-emerald-900 ring-emerald-300",
  off: "bg-gray-100 text-gray-700 ring-gray-300",
  scheduled: "bg-sky-100 text-sky-900 ring-sky-300",
  ended: "bg-amber-100 text-amber-900 ring-amber-300",
  retired: "bg-gray-200 text-gray-800 ring-gray-400",
};

/**
 * Every campaign rule (its current version), highest priority first, with what it is doing now in one word; admins
 * switch, edit and retire each, confirmed and audited, and add new ones. Each row is the target of its audit lines'
 * links (#rule-<lineage id>) and links to them in turn.
 */
export function RulesPanel({ initialRules, canAct }: { initialRules: CampaignRuleView[]; canAct: boolean }) {
  const trpc = useTRPC();
  const rules = useQuery(trpc.admin.loyalty.rules.list.queryOptions(undefined, { initialData: initialRules, refetchInterval: SLOW_REFRESH_MS })).data;
  const [editingId, setEditingId] = useState<string | null>(null);
  const [answer, setAnswer] = useState<{ message?: string; error?: unknown }>({});
  const editing = rules.find((rule) => rule.id === editingId) ?? null;

  return (
    <div className="space-y-6">
      <AdminPanel id="rules-heading" title="Rules, highest priority first">
        <p className="text-sm text-gray-700">
          One earning rule (threshold or percentage) wins per purchase: the highest priority among those that award points. The active
          multiplier with the highest priority then multiplies it.
        </p>
        {answer.error !== undefined && (
          <p role="alert" className="rounded-lg bg-rose-50 px-3 py-2 text-sm font-medium text-rose-800">
            {messageOf(answer.error)}
          </p>
        )}
        <div role="status" aria-live="polite" data-testid="rules-answer">
          {answer.message && <p className="rounded-lg bg-emerald-50 px-3 py-2 text-sm font-medium text-emerald-900">{answer.message}</p>}
        </div>
        <DataTable caption="Campaign rules, highest priority first" columns={COLUMNS} minWidth="min-w-[52rem]" testId="rules-table">
          {rules.map((rule) => (
            <tr
              key={rule.id}
              id={`rule-${rule.lineageId}`}
              data-testid="rule-row"
              data-rule-name={rule.name}
              className="scroll-mt-4 target:bg-amber-50"
            >
              <th scope="row" className={`${CELL} font-medium`}>
                {rule.name}
                <span className="block text-xs font-normal text-gray-600">
                  {RULE_KINDS[rule.kind]} · version {rule.version}
                </span>
              </th>
              <td className={CELL}>{ruleNumbers(rule)}</td>
              <td className={`${CELL} text-gray-700`}>
                <RuleWindow from={rule.activeFrom ?? null} until={rule.activeUntil ?? null} />
              </td>
              <td className={`${CELL} text-right tabular-nums`}>{rule.priority}</td>
              <td className={CELL}>
                <span className={`rounded-full px-3 py-1 text-xs font-semibold ring-1 ${STATE_TONES[rule.state]}`} data-testid="rule-state">
                  {CAMPAIGN_RULE_STATE_WORDS[rule.state]}
                </span>
              </td>
              <td className={`${CELL} space-y-2`}>
                {canAct && (
                  <RuleActions
                    rule={rule}
                    onEdit={() => setEditingId(rule.id)}
                    onAnswer={(next) => setAnswer(next)}
                  />
                )}
                {/* Named by aria-label, not an sr-only span: positioned absolutely, that would stick out of the
                    table's sideways scroll and widen a phone's page. */}
                <Link
                  href={`/admin/audit?targetId=${rule.lineageId}`}
                  aria-label={`Audit lines for ${rule.name}`}
                  className="block text-sm font-medium text-brand-700 underline"
                >
                  Audit lines
                </Link>
              </td>
            </tr>
          ))}
        </DataTable>
      </AdminPanel>
      {canAct && (
        <RuleForm
          key={editing?.id ?? "new"}
          editing={editing}
          onDone={(message) => {
            setEditingId(null);
            setAnswer(message ? { message } : {});
          }}
        />
      )}
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
