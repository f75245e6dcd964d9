"use client";

import { useSyncExternalStore } from "react";

const FORMATS = {
  "date-time": { dateStyle: "medium", timeStyle: "short" },
  date: { dateStyle: "medium" },
} satisfies Record<string, Intl.DateTimeFormatOptions>;

const noSubscription = () => () => {};

/**
 * True once rendering in the browser (after hydration), false on the server and during hydration: for what only the
 * reader's browser can know (their time zone) or draw (a chart measured to its container).
 */
export function useInBrowser(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}

/**
 * A date (and by default the time) in the reader's own time zone, which the server cannot know: the server renders it
 * in UTC (and says so), and the browser re-renders it in local time right after hydration, without a mismatch.
 */
export function LocalDateTime({
  date,
  format = "date-time",
  className,
}: {
  date: Date;
  format?: keyof typeof FORMATS;
  className?: string;
}) {
  const inBrowser = useInBrowser();
  const options = FORMATS[format];
  const text = inBrowser
    ? date.toLocaleString("en-US", options)
    : `${date.toLocaleString("en-US", { ...options, timeZone: "UTC" })} UTC`;
  return (
    <time dateTime={date.toISOString()} className={className}>
      {text}
    </time>
  );
}
