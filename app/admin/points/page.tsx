import type { Metadata } from "next";
import { getApi } from "@/app/_trpc/server";
import { requireStaff } from "../_lib/require-staff";
import { adjustmentsQuery, customerIdOf } from "./_components/adjustment-words";
import { PointsPanel } from "./_components/points-panel";

export const metadata: Metadata = { title: "Loyalty points" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/**
 * Loyalty points adjusted by hand: admins give a customer points or take some back, with a reason. `?customerId=`
 * (where the audit log's adjustment lines link) narrows the recent adjustments to that customer's.
 */
export default async function PointsPage({ searchParams }: Props) {
  const staff = await requireStaff("/admin/points");
  const customerId = customerIdOf((await searchParams).customerId);
  const audit = await (await getApi()).admin.audit.list(adjustmentsQuery(customerId));
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Loyalty points</h1>
      <PointsPanel initialAudit={audit} canAct={staff.canAct} customerId={customerId} />
    </div>
  );
}
