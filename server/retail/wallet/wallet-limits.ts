/** One top-up: at least a dollar (card fees would eat anything smaller), at most $10,000.00. */
export const MIN_TOP_UP_CENTS = 100;
export const MAX_TOP_UP_CENTS = 1_000_000;
/** A prepaid wallet is not a bank account; this also keeps every balance far inside a 32-bit integer. */
export const MAX_WALLET_BALANCE_CENTS = 10_000_000;
