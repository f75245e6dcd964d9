import type { StoredPointEvent } from "@/server/loyalty/points/stored-point-event";
import { pointsDeltaOf } from "../points-delta";

/**
 * Read model: a customer's points balance, as their account summary shows it.
 *
 * It counts a lot until that lot's LotExpired event arrives, while the decider stops spending a lot at the instant of
 * its `expiresAt`. The two differ only between a lot's expiry and the expiry process recording it, which it does
 * promptly; the summary shows this projection, and a redemption is always checked by the decider.
 */
export type AvailableBalance = {
  customerId: string;
  availablePoints: number;
  /** The stream version last applied: an event at or below it was already counted and is skipped. */
  lastVersion: number;
};

/** A customer's balance before any event. */
export function initialAvailableBalance(customerId: string): AvailableBalance {
  return { customerId, availablePoints: 0, lastVersion: 0 };
}

/** Applies one stored event; a redelivered one (version already applied) leaves the balance as it is. */
export function evolveAvailableBalance(current: AvailableBalance | null, stored: StoredPointEvent): AvailableBalance {
  const balance = current ?? initialAvailableBalance(stored.streamId);
  if (stored.version <= balance.lastVersion) return balance;
  return {
    customerId: balance.customerId,
    availablePoints: balance.availablePoints + pointsDeltaOf(stored.event),
    lastVersion: stored.version,
  };
}
