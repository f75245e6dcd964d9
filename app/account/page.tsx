import type { Metadata } from "next";
import { requireCustomer } from "@/app/_lib/require-customer";
import { ChangePasswordForm } from "./change-password-form";
import { SignOutEverywhere } from "./sign-out-everywhere";

export const metadata: Metadata = { title: "Your account" };

/** The signed-in customer's account: who they are, a new password, and signing out on every device. */
export default async function AccountPage() {
  const customer = await requireCustomer("/account");
  return (
    <div className="mx-auto max-w-lg space-y-6">
      <div>
        <h1 className="text-2xl font-bold">Your account</h1>
        <p className="mt-1 text-gray-600">
          Signed in as <span className="font-medium text-gray-900">{customer.name}</span> ({customer.email}).
        </p>
      </div>
      <ChangePasswordForm />
      <SignOutEverywhere />
    </div>
  );
}
