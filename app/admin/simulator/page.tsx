import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { env } from "@/server/env";
import { requireStaff } from "../_lib/require-staff";
import { SimulatorPanel } from "./_components/simulator-panel";

export const metadata: Metadata = { title: "Flash-sale simulator" };

type Props = { searchParams: Promise<{ run?: string | string[] }> };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The flash sale on demand (demo and test mode only; in a real shop it does not exist): a crowd of virtual shoppers
 * for 5 Classic Unicorns, and the invariants that must hold while the sagas settle. The run is in the address, so a
 * colleague can watch the same one.
 */
export default async function SimulatorPage({ searchParams }: Props) {
  const staff = await requireStaff("/admin/simulator");
  if (env.SHOP_MODE === "normal") notFound();
  const { run } = await searchParams;
  const runId = typeof run === "string" && UUID.test(run) ? run : null;
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Flash-sale simulator</h1>
      <p className="text-gray-700">
        Puts the Classic Unicorn back to 5 on sale and sends a crowd of funded virtual shoppers at it, all at once. Each starts one
        checkout; watch the sagas arrive and the invariants hold.
      </p>
      <SimulatorPanel runId={runId} canAct={staff.canAct} />
    </div>
  );
}
