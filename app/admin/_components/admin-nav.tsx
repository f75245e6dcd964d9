"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useTRPC } from "@/app/_trpc/client";
import type { NeedingAttentionView } from "../_lib/admin-api";
import { LIVE_REFRESH_MS } from "../_lib/live";

const LINKS = [
  { href: "/admin/sagas", label: "Sagas" },
  { href: "/admin/queues", label: "Queues" },
  { href: "/admin/rules", label: "Rules" },
  { href: "/admin/points", label: "Points" },
  { href: "/admin/audit", label: "Audit" },
] as const;

/**
 * The monitor's own navigation. The Sagas link carries the number of sagas needing attention, asked again every
 * couple of seconds (the sagas page shares the same query, so it is one request). The simulator exists only in demo
 * and test mode, which the server says.
 */
export function AdminNav({ simulatorEnabled, initialAttention }: { simulatorEnabled: boolean; initialAttention: NeedingAttentionView }) {
  const trpc = useTRPC();
  const pathname = usePathname();
  const attention = useQuery(
    trpc.admin.sagas.needingAttention.queryOptions(undefined, { initialData: initialAttention, refetchInterval: LIVE_REFRESH_MS }),
  ).data;
  const links = simulatorEnabled ? [...LINKS, { href: "/admin/simulator", label: "Simulator" } as const] : LINKS;

  return (
    <nav aria-label="Admin" className="flex flex-wrap items-center gap-1 border-b border-gray-200 pb-2 text-sm">
      {links.map((link) => {
        const current = pathname === link.href || pathname.startsWith(`${link.href}/`);
        return (
          <Link
            key={link.href}
            href={link.href}
            aria-current={current ? "page" : undefined}
            className={`flex items-center gap-2 rounded-md px-3 py-1.5 font-medium ${current ? "bg-brand-100 text-brand-900" : "text-gray-700 hover:bg-gray-100"}`}
          >
            {link.label}
            {link.href === "/admin/sagas" && attention.total > 0 && (
              <span className="rounded-full bg-rose-700 px-2 py-0.5 text-xs font-bold text-white" data-testid="attention-badge">
                {attention.total}
                <span className="sr-only"> need attention</span>
              </span>
            )}
          </Link>
        );
      })}
    </nav>
  );
}
