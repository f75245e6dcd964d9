import type { StoredPointEvent } from "@/server/loyalty/points/stored-point-event";
import { evolveAvailableBalance, type AvailableBalance } from "./available-balance";
import { evolvePointHistory, type PointHistoryRow, type PointHistoryTail } from "./point-history";
import { foldPointLots, type PointLotRow } from "./point-lots";

/**
 * One customer's three read models folded in memory, event by event, with each projection's own evolve: what the
 * rebuild writes (replay-streams.ts), and what the replay comparison (replay-comparison.ts) and the property
 * test (points-model.unit.spec.ts) hold the tables and the decider to. See README.md.
 */
export type ReadModelFold = {
  balance: AvailableBalance | null;
  lots: Map<string, PointLotRow>;
  /** The customer's last history row so far; the rows themselves go to the caller as they are made. */
  lastHistory: PointHistoryTail | null;
};

/** A customer before any event. */
export function newReadModelFold(): ReadModelFold {
  return { balance: null, lots: new Map(), lastHistory: null };
}

/** Applies one stored event of the fold's customer; returns the history row it adds (null: already folded). */
export function foldReadModels(fold: ReadModelFold, stored: StoredPointEvent): PointHistoryRow | null {
  fold.balance = evolveAvailableBalance(fold.balance, stored);
  foldPointLots(fold.lots, [stored]);
  const row = evolvePointHistory(fold.lastHistory, stored);
  if (row) fold.lastHistory = row;
  return row;
}
