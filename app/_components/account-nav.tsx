"use client";

import Link from "next/link";
import { useSignedInCustomer } from "@/app/_lib/use-signed-in-customer";
import { SignOutButton } from "./sign-out-button";

const LINK = "rounded-md px-2 py-1 font-medium text-gray-700 hover:bg-gray-100";

/**
 * The signed-in part of the header, filled in by the browser: the header is on every page, including the cached ones
 * served the same to everyone, so it cannot be rendered for one customer on the server.
 */
export function AccountNav() {
  const customer = useSignedInCustomer();
  if (customer === undefined) return <span className="inline-block w-24" aria-hidden="true" />;
  if (customer === null) {
    return (
      <Link href="/sign-in" className="rounded-md bg-brand-600 px-3 py-1.5 font-semibold text-white hover:bg-brand-700">
        Sign in
      </Link>
    );
  }
  return (
    <>
      <Link href="/points" className={LINK}>
        Points
      </Link>
      {(customer.role === "admin" || customer.role === "support") && (
        <Link href="/admin" className={LINK}>
          Admin
        </Link>
      )}
      <Link href="/account" className={LINK}>
        Account
      </Link>
      <span className="hidden px-2 text-gray-500 sm:inline" data-testid="signed-in-as">
        {customer.name}
      </span>
      <SignOutButton />
    </>
  );
}
