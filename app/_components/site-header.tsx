import Link from "next/link";
import { getSignedInCustomer } from "@/app/_trpc/server";
import { SignOutButton } from "./sign-out-button";
import { HOUSE_UNICORN_COLOUR, UnicornArt } from "./unicorn-art";

export async function SiteHeader() {
  const customer = await getSignedInCustomer();
  return (
    <header className="border-b border-gray-200 bg-white">
      <nav aria-label="Main" className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-3 px-4 py-3">
        <Link href="/" className="flex items-center gap-2 text-lg font-bold text-brand-900">
          <UnicornArt colour={HOUSE_UNICORN_COLOUR} className="size-8" /> Unicorn Retail
        </Link>
        <div className="flex flex-wrap items-center gap-1 text-sm sm:gap-3">
          <Link href="/" className="rounded-md px-2 py-1 font-medium text-gray-700 hover:bg-gray-100">
            Shop
          </Link>
          <Link href="/wallet" className="rounded-md px-2 py-1 font-medium text-gray-700 hover:bg-gray-100">
            Wallet
          </Link>
          <Link href="/orders" className="rounded-md px-2 py-1 font-medium text-gray-700 hover:bg-gray-100">
            Orders
          </Link>
          {customer ? (
            <>
              <Link href="/points" className="rounded-md px-2 py-1 font-medium text-gray-700 hover:bg-gray-100">
                Points
              </Link>
              {(customer.role === "admin" || customer.role === "support") && (
                <Link href="/admin" className="rounded-md px-2 py-1 font-medium text-gray-700 hover:bg-gray-100">
                  Admin
                </Link>
              )}
              <span className="hidden px-2 text-gray-500 sm:inline" data-testid="signed-in-as">
                {customer.name}
              </span>
              <SignOutButton />
            </>
          ) : (
            <Link href="/sign-in" className="rounded-md bg-brand-600 px-3 py-1.5 font-semibold text-white hover:bg-brand-700">
              Sign in
            </Link>
          )}
        </div>
      </nav>
    </header>
  );
}
