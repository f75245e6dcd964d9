/**
 * The one error type for expected business failures. Each code is mapped to a tRPC/HTTP status in exactly one
 * place (server/api/error-mapping.ts); anything that is not a DomainError is unexpected and becomes a 500 with a
 * generic message.
 *
 * Codes:
 * - VALIDATION            input a person can fix (the `field` names which one)
 * - UNAUTHENTICATED       not signed in, or the session is gone
 * - INVALID_CREDENTIALS   email or password wrong (deliberately not saying which)
 * - FORBIDDEN             signed in, but not allowed
 * - NOT_FOUND             the thing asked for does not exist (or is not yours)
 * - EMAIL_TAKEN           sign-up with an email that already has an account
 * - IDEMPOTENCY_CONFLICT  an idempotency key reused for a different request
 * - INSUFFICIENT_FUNDS    the wallet cannot cover a debit
 * - OUT_OF_STOCK          not enough units available
 * - PURCHASE_LIMIT        this customer already holds or has bought as many of a product as one customer may
 * - TOP_UP_LIMIT          a top-up past what one customer may add to their wallet in 24 hours
 * - INSUFFICIENT_POINTS   a redemption or deduction asks for more loyalty points than are spendable now
 * - LOYALTY_RULE_INVALID  a campaign rule that cannot be applied (zero points, percent over 100, reversed window…)
 * - RATE_LIMITED          too many attempts of one kind (sign-ins, sign-ups, top-ups): `retryAfterSeconds` says when
 */
export type DomainErrorCode =
  | "VALIDATION"
  | "UNAUTHENTICATED"
  | "INVALID_CREDENTIALS"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "EMAIL_TAKEN"
  | "IDEMPOTENCY_CONFLICT"
  | "INSUFFICIENT_FUNDS"
  | "OUT_OF_STOCK"
  | "PURCHASE_LIMIT"
  | "TOP_UP_LIMIT"
  | "INSUFFICIENT_POINTS"
  | "LOYALTY_RULE_INVALID"
  | "RATE_LIMITED";

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  /** The input field the error is about, so forms can show it next to that field. */
  readonly field?: string;
  /** For RATE_LIMITED: how long until the attempt may be made again (sent as Retry-After). */
  readonly retryAfterSeconds?: number;

  constructor(
    code: DomainErrorCode,
    message: string,
    options: { field?: string; retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    // An expected answer ("sold out", "short by $5"), not a fault: it carries no stack trace. Capturing one (and Next
    // formatting it when tRPC copies it) was a tenth of the CPU of a sold-out checkout.start, Cyber Monday's most
    // common answer; where it was thrown is said by its code and message.
    const frames = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message, { cause: options.cause });
    Error.stackTraceLimit = frames;
    this.name = "DomainError";
    this.code = code;
    this.field = options.field;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}
