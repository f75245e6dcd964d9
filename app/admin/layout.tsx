import type { Metadata } from "next";
import type { ReactNode } from "react";
import { getApi } from "@/app/_trpc/server";
import { env } from "@/server/env";
import { AdminNav } from "./_components/admin-nav";
import { staffOrVisitor } from "./_lib/require-staff";

export const metadata: Metadata = { title: { default: "Admin", template: "%s · Admin · Unicorn Retail" } };

/**
 * The admin monitor's frame: shop operators only (a customer gets the 403 page; a visitor is sent to sign in by the
 * page they asked for). Admins may act; support staff may look, and are told so.
 */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const staff = await staffOrVisitor();
  if (!staff) return children;
  const attention = await (await getApi()).admin.sagas.needingAttention();
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <p className="text-sm font-semibold tracking-wide text-brand-900 uppercase">Shop monitor</p>
        {!staff.canAct && (
          <p className="rounded-full bg-amber-50 px-3 py-1 text-sm font-medium text-amber-900 ring-1 ring-amber-300" data-testid="read-only-note">
            Support: read-only. You can look at everything here; ask an admin to act.
          </p>
        )}
      </div>
      <AdminNav simulatorEnabled={env.SHOP_MODE !== "normal"} initialAttention={attention} />
      {children}
    </div>
  );
}
