import { DomainError, type DomainErrorCode } from "@/server/errors";
import { normaliseEmail } from "@/server/retail/customers/customer";
import type { TopUpResult } from "@/server/retail/wallet/top-up-wallet";
import { networkOf } from "./client-address";
import { giveBackAttempt, takeAttempt, type RateLimitKey } from "./rate-limits";

/**
 * What each limit counts. An attempt takes its place before it runs (so parallel attempts cannot pass a limit
 * together) and gives it back when it turns out not to count.
 */

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * A check of an account's password (signing in, or the current password of a password change): only wrong passwords
 * count, against the account (whoever guesses) and against the network the guess came from (whichever accounts).
 */
export function limitPasswordGuesses<T>(who: { email: string; clientIp: string | undefined }, check: () => Promise<T>): Promise<T> {
  const wrongPassword = (outcome: Outcome<T>) => !outcome.ok && hasCode(outcome.error, "INVALID_CREDENTIALS");
  const perAccount = { limit: "signInPerAccount", key: normaliseEmail(who.email) } as const;
  const perNetwork = { limit: "signInPerNetwork", key: networkOf(who.clientIp) } as const;
  return counted(perAccount, wrongPassword, () => counted(perNetwork, wrongPassword, check));
}

/** A sign-up: each account opened counts against the network, and so does an email that is taken (probing for accounts). */
export function limitSignUps<T>(who: { clientIp: string | undefined }, signUp: () => Promise<T>): Promise<T> {
  const perNetwork = { limit: "signUpPerNetwork", key: networkOf(who.clientIp) } as const;
  return counted(perNetwork, (outcome) => outcome.ok || hasCode(outcome.error, "EMAIL_TAKEN"), signUp);
}

/** A top-up: each one that adds money counts against the customer (a repeat of one already made adds nothing). */
export function limitTopUps(who: { customerId: string }, topUp: () => Promise<TopUpResult>): Promise<TopUpResult> {
  const perCustomer = { limit: "topUpPerCustomer", key: who.customerId } as const;
  return counted(perCustomer, (outcome) => outcome.ok && !outcome.value.replayed, topUp);
}

async function counted<T>(counter: RateLimitKey, counts: (outcome: Outcome<T>) => boolean, attempt: () => Promise<T>): Promise<T> {
  await takeAttempt(counter);
  let outcome: Outcome<T>;
  try {
    outcome = { ok: true, value: await attempt() };
  } catch (error) {
    outcome = { ok: false, error };
  }
  if (!counts(outcome)) await giveBackAttempt(counter);
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

const hasCode = (error: unknown, code: DomainErrorCode) => error instanceof DomainError && error.code === code;
