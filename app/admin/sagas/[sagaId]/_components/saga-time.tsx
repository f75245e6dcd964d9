"use client";

import { useInBrowser } from "@/app/_components/local-date-time";
import { formatInstant } from "../../../_lib/saga-time";

/**
 * An instant to the second with its zone ("6 Dec 2026, 21:04:17 UTC"): in UTC from the server, which cannot know the
 * viewer's zone, then in the viewer's own zone right after hydration (without a mismatch).
 */
export function SagaTime({ date }: { date: Date }) {
  const inBrowser = useInBrowser();
  return <time dateTime={date.toISOString()}>{formatInstant(date, inBrowser ? undefined : "UTC")}</time>;
}
