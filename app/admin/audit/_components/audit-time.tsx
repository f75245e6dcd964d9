"use client";

import { useInBrowser } from "@/app/_components/local-date-time";

/**
 * When a line was written, to the second and with its time zone ("Dec 6, 2026, 10:00:05 AM EST"): the server renders
 * it in UTC, the browser again in the reader's own zone right after hydration.
 */
export function AuditTime({ date }: { date: Date }) {
  const inBrowser = useInBrowser();
  const options: Intl.DateTimeFormatOptions = { dateStyle: "medium", timeStyle: "long", ...(inBrowser ? {} : { timeZone: "UTC" }) };
  return <time dateTime={date.toISOString()}>{date.toLocaleString("en-US", options)}</time>;
}
