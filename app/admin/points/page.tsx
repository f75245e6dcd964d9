import type { Metadata } from "next";
import { getApi } from "@/app/_trpc/server";
import { requireStaff } from "../_lib/require-staff";
import { RECENT_ADJUSTMENTS } from "./_components/adjustment-words";
import { PointsPanel } from "./_components/points-panel";

export const metadata: Metadata = { title: "Loyalty points" };

/** Loyalty points adjusted by hand: admins give a customer points or take some back, with a reason. */
export default async function PointsPage() {
  const staff = await requireStaff("/admin/points");
  const audit = await (await getApi()).admin.audit.list(RECENT_ADJUSTMENTS);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Loyalty points</h1>
      <PointsPanel initialAudit={audit} canAct={staff.canAct} />
    </div>
  );
}
