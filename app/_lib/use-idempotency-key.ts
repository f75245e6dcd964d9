"use client";

import { useState } from "react";

/**
 * One key per intended action (a top-up, a redemption): a double click or a retried request counts once. Renew it
 * after the action succeeded, so the next one is a new action.
 */
export function useIdempotencyKey(): [key: string, renew: () => void] {
  const [key, setKey] = useState(() => crypto.randomUUID());
  return [key, () => setKey(crypto.randomUUID())];
}
