import type { Metadata } from "next";
import Link from "next/link";
import { destinationAfterAuth } from "@/app/_lib/destination-after-auth";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

type Props = { searchParams: Promise<{ next?: string | string[]; signedOut?: string | string[] }> };

export default async function SignInPage({ searchParams }: Props) {
  const params = await searchParams;
  const destination = await destinationAfterAuth(params.next);
  return (
    <div className="mx-auto max-w-sm space-y-6">
      <h1 className="text-2xl font-bold">Sign in</h1>
      {params.signedOut === "everywhere" && (
        <p role="status" className="rounded-lg bg-emerald-50 px-3 py-2 text-sm font-medium text-emerald-800">
          You are signed out on every device and browser.
        </p>
      )}
      <SignInForm destination={destination} />
      <p className="text-sm text-gray-600">
        New here?{" "}
        <Link href={`/sign-up?next=${encodeURIComponent(destination)}`} className="font-semibold text-brand-700 hover:underline">
          Create an account
        </Link>
      </p>
    </div>
  );
}
