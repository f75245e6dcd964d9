import { createHash, randomBytes } from "node:crypto";
import { DomainError } from "@/server/errors";
import { sql, sqlPool, type SqlClient } from "@/server/sql";
import { CUSTOMER_PROFILE_COLUMNS, type CustomerProfile } from "./customer";

/**
 * Sign-ins kept by the shop: a session is a random token (the cookie's value) whose SHA-256 is a row of
 * customer_sessions. Looking one up is one indexed read that also loads the profile, so every signed-in request learns
 * who it is from one statement, and a session closed anywhere (sign-out, or later "sign out everywhere") opens
 * nothing from the next request on.
 */

/** How long a sign-in lasts. */
export const SESSION_LIFETIME_SECONDS = 60 * 60 * 24 * 7;

/** 32 random bytes, base64url: what `openCustomerSession` hands out, and all a lookup accepts. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

const tokenHash = (token: string) => createHash("sha256").update(token).digest();

/**
 * Signs `customerId` in: a new session, and its token for the cookie. Their sessions that have expired go.
 *
 * `passwordHash` is the hash a password was just checked against (a sign-in, a password change): the session opens
 * only if it is still the customer's. Checking a password takes a while (argon2), and a password change in that
 * while closes every session: without this, a sign-in with the old password that was checked just before the change
 * would open a session just after it. The customer's row is read FOR SHARE, so a change waits for this insert to
 * commit (and then closes the new session too) or this insert waits for the change and finds the hash gone.
 * Undefined when no password was checked (a sign-up's first session). Refused: INVALID_CREDENTIALS.
 */
export async function openCustomerSession(options: { customerId: string; passwordHash?: string }): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const [row] = await sqlPool.rows<{ expires_at: Date }>(sql`
    WITH holder AS (
      SELECT id FROM customers
       WHERE id = ${options.customerId}::uuid AND (${options.passwordHash ?? null}::text IS NULL OR password_hash = ${options.passwordHash ?? null}::text)
         FOR SHARE
    ), expired AS (
      DELETE FROM customer_sessions WHERE customer_id = (SELECT id FROM holder) AND expires_at <= now()
    )
    INSERT INTO customer_sessions (token_hash, customer_id, expires_at)
    SELECT ${tokenHash(token)}, id, now() + ${SESSION_LIFETIME_SECONDS} * interval '1 second' FROM holder
    RETURNING expires_at`);
  if (!row) throw new DomainError("INVALID_CREDENTIALS", "That password has just been changed. Please sign in with the new one.");
  return { token, expiresAt: row.expires_at };
}

/** Whom a token signs in: null when it never did, was signed out, has expired, or its account is gone. */
export async function findSessionCustomer(options: { token: string }): Promise<CustomerProfile | null> {
  if (!TOKEN.test(options.token)) return null;
  const [customer] = await sqlPool.rows<CustomerProfile>(sql`
    SELECT ${CUSTOMER_PROFILE_COLUMNS}
      FROM customer_sessions s JOIN customers c ON c.id = s.customer_id
     WHERE s.token_hash = ${tokenHash(options.token)} AND s.expires_at > now()`);
  return customer ?? null;
}

/** Signs a session out: its token opens nothing any more. */
export async function closeCustomerSession(options: { token: string }): Promise<void> {
  if (!TOKEN.test(options.token)) return;
  await sqlPool.count(sql`DELETE FROM customer_sessions WHERE token_hash = ${tokenHash(options.token)}`);
}

/**
 * Signs a customer out everywhere: every session of theirs opens nothing from the next request on (sign out
 * everywhere, a password change). `client` is a transaction to do it in, if any. Says how many sessions there were.
 */
export async function closeEveryCustomerSession(options: { customerId: string }, client: SqlClient = sqlPool): Promise<number> {
  return client.count(sql`DELETE FROM customer_sessions WHERE customer_id = ${options.customerId}::uuid`);
}
