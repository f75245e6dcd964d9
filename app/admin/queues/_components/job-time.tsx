"use client";

import { useInBrowser } from "@/app/_components/local-date-time";

const FORMAT: Intl.DateTimeFormatOptions = { dateStyle: "medium", timeStyle: "long" };

/**
 * A job's moment to the second with its time zone ("Dec 6, 2026, 3:04:05 PM GMT+1"): jobs move in seconds. In UTC on
 * the server, in the reader's zone once in the browser (as LocalDateTime does). A missing moment is a dash.
 */
export function JobTime({ date }: { date: Date | null }) {
  const inBrowser = useInBrowser();
  if (!date) return <span aria-label="none">—</span>;
  const text = date.toLocaleString("en-US", inBrowser ? FORMAT : { ...FORMAT, timeZone: "UTC" });
  return <time dateTime={date.toISOString()}>{text}</time>;
}
