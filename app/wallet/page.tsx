import type { Metadata } from "next";
import { requireCustomer } from "@/app/_lib/require-customer";
import { getApi } from "@/app/_trpc/server";
import { WalletPanel } from "./wallet-panel";

export const metadata: Metadata = { title: "Your wallet" };

export default async function WalletPage() {
  await requireCustomer("/wallet");
  const wallet = await (await getApi()).wallet.get();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Your wallet</h1>
      <WalletPanel initialWallet={wallet} />
    </div>
  );
}
