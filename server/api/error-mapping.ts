import { TRPCError, type TRPC_ERROR_CODE_KEY } from "@trpc/server";
import { DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable } from "@/server/database-unavailable";
import { DomainError, type DomainErrorCode } from "@/server/errors";
import { LiveChangesUnavailable } from "@/server/live/live-changes-unavailable";
import { QueueUnavailableError } from "@/server/queues/queue-unavailable";

/** The one place where business failures become transport errors (and so HTTP statuses). */
const TRPC_CODE_FOR: Record<DomainErrorCode, TRPC_ERROR_CODE_KEY> = {
  VALIDATION: "BAD_REQUEST",
  UNAUTHENTICATED: "UNAUTHORIZED",
  INVALID_CREDENTIALS: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  EMAIL_TAKEN: "CONFLICT",
  IDEMPOTENCY_CONFLICT: "CONFLICT",
  INSUFFICIENT_FUNDS: "UNPROCESSABLE_CONTENT",
  OUT_OF_STOCK: "CONFLICT",
  // Like OUT_OF_STOCK: what this customer already holds or bought leaves none for this request.
  PURCHASE_LIMIT: "CONFLICT",
  // Well formed, but past the day's allowance (as INSUFFICIENT_FUNDS is past the balance); not a rate limit (429).
  TOP_UP_LIMIT: "UNPROCESSABLE_CONTENT",
  // Same status as INSUFFICIENT_FUNDS: the request is well formed, the balance cannot cover it.
  INSUFFICIENT_POINTS: "UNPROCESSABLE_CONTENT",
  LOYALTY_RULE_INVALID: "BAD_REQUEST",
  RATE_LIMITED: "TOO_MANY_REQUESTS",
};

/** Without a stack trace, like the DomainError it carries (see server/errors.ts). */
export function toTRPCError(error: DomainError): TRPCError {
  const frames = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  const transportError = new TRPCError({ code: TRPC_CODE_FOR[error.code], message: error.message, cause: error });
  Error.stackTraceLimit = frames;
  return transportError;
}

/**
 * The typed transport error for a failure the shop expects (a business failure, live updates unavailable), or
 * undefined for anything else, which stays unexpected: a 500 with the generic message, logged.
 */
export function transportErrorFor(error: unknown): TRPCError | undefined {
  if (error instanceof DomainError) return toTRPCError(error);
  if (error instanceof LiveChangesUnavailable) {
    // Retried by tRPC's subscription client; the checkout page asks with `status` meanwhile.
    return new TRPCError({ code: "SERVICE_UNAVAILABLE", message: error.message, cause: error });
  }
  // Redis restarting or away: what needs it (a redrive, the queues' counts) can be asked again in a moment.
  if (error instanceof QueueUnavailableError) return new TRPCError({ code: "SERVICE_UNAVAILABLE", message: QUEUE_UNAVAILABLE_MESSAGE, cause: error });
  // PostgreSQL restarting or failing over: a clear "try again", not a 500 (the transaction, if any, was rolled back).
  if (isDatabaseUnavailable(error)) return new TRPCError({ code: "SERVICE_UNAVAILABLE", message: DATABASE_UNAVAILABLE_MESSAGE, cause: error });
  return undefined;
}

export const QUEUE_UNAVAILABLE_MESSAGE = "The shop's job queue is not answering right now. Please try again in a moment.";

export const GENERIC_FAILURE_MESSAGE = "Something went wrong on our side. Nothing was changed; please try again.";
