import Link from "next/link";

export default function NotFound() {
  return (
    <div className="mx-auto max-w-md space-y-3 py-16 text-center">
      <h1 className="text-2xl font-bold">We couldn&apos;t find that page</h1>
      <p className="text-gray-600">It may have trotted off. The unicorns are all in the shop.</p>
      <Link href="/" className="inline-block font-semibold text-brand-700 hover:underline">
        Back to the shop
      </Link>
    </div>
  );
}
