import type { Metadata } from "next";
import { requireCustomer } from "@/app/_lib/require-customer";
import { safeRedirectPath } from "@/app/_lib/safe-redirect";
import { getApi } from "@/app/_trpc/server";
import { parseDollarsToCents } from "@/server/retail/money";
import { WalletPanel } from "./wallet-panel";

export const metadata: Metadata = { title: "Your wallet" };

type Props = { searchParams: Promise<{ amount?: string | string[]; next?: string | string[] }> };

const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/**
 * The wallet: balance, top-up and history. Sent here by a product page that is short (`?amount=17.50&next=/products/…`),
 * the top-up is filled in and, once it went through, the shopper goes back to the product (a path of this site only).
 */
export default async function WalletPage({ searchParams }: Props) {
  const query = await searchParams;
  const amount = one(query.amount);
  const next = one(query.next);
  const path = amount || next ? `/wallet?${new URLSearchParams({ ...(amount ? { amount } : {}), ...(next ? { next } : {}) })}` : "/wallet";
  await requireCustomer(path);
  const wallet = await (await getApi()).wallet.get();
  const prefill = amount && parseDollarsToCents(amount).ok ? amount : undefined;
  const returnTo = next ? safeRedirectPath(next, "") || undefined : undefined;
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Your wallet</h1>
      <WalletPanel initialWallet={wallet} prefillAmount={prefill} returnTo={returnTo} />
    </div>
  );
}
