/** How often the dashboard asks again: a purchase's points show up within a few seconds, without a reload. */
export const POLL_INTERVAL_MS = 2_000;

/** Events the balance chart draws: the latest ones, as many as the API gives in one page. */
export const CHART_EVENTS = 100;

/** History lines per page of the list ("Show more" fetches the next page). */
export const HISTORY_PAGE_SIZE = 10;
