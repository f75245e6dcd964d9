/** How often the monitor asks again: sagas move in milliseconds, and an operator watching wants to see it. */
export const LIVE_REFRESH_MS = 2_000;

/** Queries that change slowly (the per-minute chart, the rules) are refreshed less often. */
export const SLOW_REFRESH_MS = 10_000;
