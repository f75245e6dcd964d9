/**
 * The most points one event may move, and the most one customer may hold. The read models keep points in INTEGER
 * columns (at most 2,147,483,647): within these bounds no balance, lot, delta or history line can outgrow them, so
 * one outsized number (a mistyped rule, an adjustment with three zeros too many) can never stop a projection. The
 * decider refuses anything beyond, except a purchase's points, which are capped: the purchase happened either way.
 */
export const MAX_POINTS_PER_EVENT = 1_000_000;
export const MAX_BALANCE_POINTS = 1_000_000_000;
