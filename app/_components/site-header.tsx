import Link from "next/link";
import { AccountNav } from "./account-nav";
import { HOUSE_UNICORN_COLOUR, UnicornArt } from "./unicorn-art";

/** The same header for everyone; who is signed in is filled in by the browser (AccountNav). */
export function SiteHeader() {
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
          <AccountNav />
        </div>
      </nav>
    </header>
  );
}
