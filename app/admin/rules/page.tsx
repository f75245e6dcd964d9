import type { Metadata } from "next";
import { getApi } from "@/app/_trpc/server";
import { requireStaff } from "../_lib/require-staff";
import { RedemptionRulePanel } from "./_components/redemption-rule-panel";
import { RulesPanel } from "./_components/rules-panel";

export const metadata: Metadata = { title: "Campaign rules" };

/**
 * The loyalty rules: what points are worth at checkout (the redemption rule), and the campaign rules, what each
 * purchase earns. Admins change the one and switch or add the others.
 */
export default async function RulesPage() {
  const staff = await requireStaff("/admin/rules");
  const api = await getApi();
  const [rules, redemptionRule] = await Promise.all([api.admin.loyalty.rules.list(), api.admin.loyalty.redemptionRule.get()]);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Campaign rules</h1>
      <RedemptionRulePanel initialRule={redemptionRule} canAct={staff.canAct} />
      <RulesPanel initialRules={rules} canAct={staff.canAct} />
    </div>
  );
}
