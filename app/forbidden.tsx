import Link from "next/link";

/** Rendered with HTTP 403 when a page calls forbidden(): signed in, but not allowed here (a customer in the admin). */
export default function Forbidden() {
  return (
    <div className="mx-auto max-w-md space-y-3 py-16 text-center">
      <p className="text-sm font-semibold tracking-wide text-rose-700 uppercase">403 · Forbidden</p>
      <h1 className="text-2xl font-bold">This page is for shop operators only</h1>
      <p className="text-gray-600">You are signed in, but your account cannot open it. The unicorns are all in the shop.</p>
      <Link href="/" className="inline-block font-semibold text-brand-700 hover:underline">
        Back to the shop
      </Link>
    </div>
  );
}
