import type { Metadata } from "next";
import Link from "next/link";
import { destinationAfterAuth } from "@/app/_lib/destination-after-auth";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

type Props = { searchParams: Promise<{ next?: string | string[] }> };

export default async function SignInPage({ searchParams }: Props) {
  const destination = await destinationAfterAuth((await searchParams).next);
  return (
    <div className="mx-auto max-w-sm space-y-6">
      <h1 className="text-2xl font-bold">Sign in</h1>
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
