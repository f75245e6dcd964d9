import type { Metadata } from "next";
import { getApi } from "@/app/_trpc/server";
import { requireStaff } from "../_lib/require-staff";
import { RulesPanel } from "./_components/rules-panel";

export const metadata: Metadata = { title: "Campaign rules" };

/** The loyalty campaign rules: what each purchase earns. Admins switch them and add new ones. */
export default async function RulesPage() {
  const staff = await requireStaff("/admin/rules");
  const rules = await (await getApi()).admin.loyalty.rules.list();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Campaign rules</h1>
      <RulesPanel initialRules={rules} canAct={staff.canAct} />
    </div>
  );
}
