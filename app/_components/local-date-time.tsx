"use client";

import { useSyncExternalStore } from "react";

const FORMAT: Intl.DateTimeFormatOptions = { dateStyle: "medium", timeStyle: "short" };
const noSubscription = () => () => {};

/**
 * A date and time in the reader's own time zone, which the server cannot know: the server renders it in UTC (and
 * says so), and the browser re-renders it in local time right after hydration, without a mismatch.
 */
export function LocalDateTime({ date, className }: { date: Date; className?: string }) {
  const inBrowser = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
  const text = inBrowser
    ? date.toLocaleString("en-US", FORMAT)
    : `${date.toLocaleString("en-US", { ...FORMAT, timeZone: "UTC" })} UTC`;
  return (
    <time dateTime={date.toISOString()} className={className}>
      {text}
    </time>
  );
}
