"use client";

import { useEffect, useState } from "react";

/**
 * True once `activity` (what is under way, e.g. "debit-wallet do"; null when nothing is) has stayed the same for
 * `afterMs`, as this page has seen it: the status does not say when a step started, and a page opened in the middle
 * of a long wait says so `afterMs` later.
 */
export function useSlowActivity(activity: string | null, afterMs: number): boolean {
  const [slowActivity, setSlowActivity] = useState<string | null>(null);
  useEffect(() => {
    if (activity === null) return;
    const timer = setTimeout(() => setSlowActivity(activity), afterMs);
    return () => clearTimeout(timer);
  }, [activity, afterMs]);
  return activity !== null && slowActivity === activity;
}
