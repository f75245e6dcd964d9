import type { Metadata } from "next";
import Link from "next/link";
import { destinationAfterAuth } from "@/app/_lib/destination-after-auth";
import { SignUpForm } from "./sign-up-form";

export const metadata: Metadata = { title: "Create an account" };

type Props = { searchParams: Promise<{ next?: string | string[] }> };

export default async function SignUpPage({ searchParams }: Props) {
  const destination = await destinationAfterAuth((await searchParams).next);
  return (
    <div className="mx-auto max-w-sm space-y-6">
      <h1 className="text-2xl font-bold">Create an account</h1>
      <SignUpForm destination={destination} />
      <p className="text-sm text-gray-600">
        Already have one?{" "}
        <Link href={`/sign-in?next=${encodeURIComponent(destination)}`} className="font-semibold text-brand-700 hover:underline">
          Sign in
        </Link>
      </p>
    </div>
  );
}
