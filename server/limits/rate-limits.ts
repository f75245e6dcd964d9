import { createHash } from "node:crypto";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { env } from "@/server/env";
import { DomainError } from "@/server/errors";
import { logger } from "@/server/logger";
import { getProducerConnection, type RedisConnection } from "@/server/queues/connections";

/**
 * The shop's rate limits, counted in Redis by rate-limiter-flexible (one counter per key and window, an atomic Lua
 * increment, so a batch of parallel attempts cannot slip past a limit together). Each limit's allowance comes from
 * server/env.ts; `refusal` starts the sentence a refused person reads, which ends with when to try again.
 *
 * While Redis is away (not connected, or not answering within REDIS_COMMAND_TIMEOUT_MS), each process counts in its
 * own memory instead (rate-limiter-flexible's insurance limiter): the limits still hold, per process, and nobody is
 * turned away because Redis is. Refusing everything would stop every sign-in and sign-up during a Redis restart;
 * counting nothing would let the guessing through exactly when someone has knocked Redis over.
 */
const LIMITS = {
  signInPerAccount: { allowance: () => env.RATE_LIMIT_SIGN_IN_PER_ACCOUNT, refusal: "Too many failed sign-ins to this account" },
  signInPerNetwork: { allowance: () => env.RATE_LIMIT_SIGN_IN_PER_IP, refusal: "Too many failed sign-ins from your network" },
  signUpPerNetwork: { allowance: () => env.RATE_LIMIT_SIGN_UP_PER_IP, refusal: "Too many new accounts from your network" },
  topUpPerCustomer: { allowance: () => env.RATE_LIMIT_TOP_UP_PER_CUSTOMER, refusal: "Too many top-ups in a short time" },
} as const;

export type RateLimitName = keyof typeof LIMITS;

/** One counter: a limit and whose attempts it counts (an account, a network, a customer). */
export type RateLimitKey = { limit: RateLimitName; key: string };

/**
 * Counts an attempt, or refuses it with RATE_LIMITED (HTTP 429) and when to try again once the allowance is used up.
 * An unexpected failure of the limiter itself is logged and lets the attempt through (see above for Redis away).
 */
export async function takeAttempt({ limit, key }: RateLimitKey): Promise<void> {
  try {
    await limiterFor(limit).consume(storedKey(key));
  } catch (error) {
    if (error instanceof RateLimiterRes) throw refusal(limit, error.msBeforeNext);
    logger.error({ err: error, limit }, "rate limiter failed; the attempt was let through");
  }
}

/** Gives an attempt back: it turned out not to count (a sign-in that succeeded, a top-up that moved nothing). */
export async function giveBackAttempt({ limit, key }: RateLimitKey): Promise<void> {
  try {
    await limiterFor(limit).reward(storedKey(key));
  } catch (error) {
    logger.warn({ err: error, limit }, "rate limiter could not give an attempt back");
  }
}

/** "2 minutes", "45 seconds", "1 hour": how long until a refused attempt may be made again, rounded up. */
export function waitInWords(seconds: number): string {
  const [amount, unit] = seconds < 60 ? [seconds, "second"] : seconds < 5_400 ? [Math.ceil(seconds / 60), "minute"] : [Math.ceil(seconds / 3_600), "hour"];
  return `${amount} ${unit}${amount === 1 ? "" : "s"}`;
}

function refusal(limit: RateLimitName, msBeforeNext: number): DomainError {
  const retryAfterSeconds = Math.max(1, Math.ceil(msBeforeNext / 1_000));
  return new DomainError("RATE_LIMITED", `${LIMITS[limit].refusal}. Try again in ${waitInWords(retryAfterSeconds)}.`, {
    retryAfterSeconds,
  });
}

/** Keys name accounts by email: Redis holds a hash of them, not the addresses. */
const storedKey = (key: string) => createHash("sha256").update(key).digest("base64url").slice(0, 22);

/**
 * The limiters, on the process's fail-fast producer connection (server/queues/connections.ts: no offline queue, a
 * command timeout), made again if that connection is replaced.
 */
const limiters = new Map<RateLimitName, { store: RedisConnection; limiter: RateLimiterRedis }>();

function limiterFor(limit: RateLimitName): RateLimiterRedis {
  const store = getProducerConnection();
  const made = limiters.get(limit);
  if (made?.store === store) return made.limiter;
  const { points, windowSeconds } = LIMITS[limit].allowance();
  const keyPrefix = `rate-limit:${limit}`;
  const limiter = new RateLimiterRedis({
    storeClient: store,
    keyPrefix,
    points,
    duration: windowSeconds,
    // Not connected: count in memory at once rather than wait for a command to fail.
    rejectIfRedisNotReady: true,
    insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration: windowSeconds }),
  });
  limiters.set(limit, { store, limiter });
  return limiter;
}
