import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { signInPathFor } from "@/app/_lib/safe-redirect";
import { getApi, getSignedInCustomer } from "@/app/_trpc/server";
import { WalletPanel } from "./wallet-panel";

export const metadata: Metadata = { title: "Your wallet" };

export default async function WalletPage() {
  if (!(await getSignedInCustomer())) redirect(signInPathFor("/wallet"));
  const wallet = await (await getApi()).wallet.get();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Your wallet</h1>
      <WalletPanel initialWallet={wallet} />
    </div>
  );
}
