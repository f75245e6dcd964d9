import { initTRPC, TRPCError, type TRPCDefaultErrorShape } from "@trpc/server";
import superjson from "superjson";
import { ZodError, z } from "zod";
import { env } from "@/server/env";
import { DomainError } from "@/server/errors";
import { logger } from "@/server/logger";
import { GENERIC_FAILURE_MESSAGE, transportErrorFor } from "./error-mapping";
import { NO_REQUEST_CLIENT, type RequestClient } from "./request-client";
import { outputTransformer } from "./wire-format";
import type { Session } from "./session";

/**
 * Everything a procedure may know about the request: the session (the customer is loaded on demand) and the client
 * that sent it (its address, for the limits per network; a way to add a response header).
 */
export type Context = { session: Session; client: RequestClient };

export function createContext(options: { session: Session; client?: RequestClient }): Context {
  return { session: options.session, client: options.client ?? NO_REQUEST_CLIENT };
}

/**
 * What the API receives when superjson cannot read a request's input: annotations that lie about the value ("this
 * string is a Map", an unknown class, a tree that does not fit) make superjson throw, and the shop's plain-call door
 * (server/http/trpc-plain-calls.ts) reads inputs before any procedure runs. Handed on as this marker instead, the
 * input is refused by every procedure (in `domainErrors`) with the same 400 as any request it cannot read.
 */
const UNREADABLE_INPUT = Symbol("unreadable input");

function readInput(value: unknown): unknown {
  try {
    return superjson.deserialize(value as Parameters<typeof superjson.deserialize>[0]);
  } catch {
    return UNREADABLE_INPUT;
  }
}

const t = initTRPC.context<Context>().create({
  transformer: { input: { serialize: (value: unknown) => superjson.serialize(value as never), deserialize: readInput }, output: outputTransformer },
  // Subscriptions (SSE): a ping while a stream is quiet, so the client can tell a quiet stream from a dead one; a
  // client that hears nothing, not even a ping, for 6 s reconnects (and the checkout page asks `status` meanwhile).
  sse: { ping: { enabled: true, intervalMs: 2_000 }, client: { reconnectAfterInactivityMs: 6_000 } },
  // Stacks stay on the server outside local development.
  isDev: env.NODE_ENV === "development",
  errorFormatter(options) {
    // Without its undefined fields: superjson would annotate each of them, and the shape would miss the fast path of
    // plain JSON (wire-format.ts). A client reads an absent field as the undefined one it was.
    const shape = formatError(options);
    return { ...shape, data: definedOnly(shape.data) };
  },
});

/** The shape of each kind of failure: what a person reads, and the domain code and fields a form shows it by. */
function formatError({ shape, error }: { shape: TRPCDefaultErrorShape; error: TRPCError }) {
  const cause = error.cause;
  if (cause instanceof ZodError) {
    return {
      ...shape,
      message: [...new Set(cause.issues.map((issue) => issue.message))].join(" "),
      data: { ...shape.data, domainCode: "VALIDATION", fieldErrors: uniqueFieldErrors(cause) },
    };
  }
  if (cause instanceof DomainError) {
    const fieldErrors = cause.field ? { [cause.field]: [cause.message] } : undefined;
    return { ...shape, data: { ...shape.data, domainCode: cause.code, fieldErrors, retryAfterSeconds: cause.retryAfterSeconds } };
  }
  if (error.code === "INTERNAL_SERVER_ERROR") {
    logger.error({ err: cause ?? error, path: shape.data.path }, "unexpected error in a procedure");
    return { ...shape, message: GENERIC_FAILURE_MESSAGE, data: { ...shape.data, domainCode: undefined } };
  }
  if (error.code === "PARSE_ERROR" || error.code === "BAD_REQUEST") {
    // The request itself could not be read (malformed JSON, wrong envelope): the parser's own words would only
    // confuse, so say what was expected.
    return { ...shape, message: UNREADABLE_REQUEST_MESSAGE, data: { ...shape.data, domainCode: undefined } };
  }
  return { ...shape, data: { ...shape.data, domainCode: undefined, fieldErrors: undefined } };
}

/** The fields of `data` that have a value. */
function definedOnly<T extends object>(data: T): T {
  return Object.fromEntries(Object.entries(data).filter(([, value]) => value !== undefined)) as T;
}

const UNREADABLE_REQUEST_MESSAGE =
  'We could not read this request. Send the input as JSON in tRPC\'s format, e.g. {"json": {...}}.';

/** zod reports every failed check; a form needs each sentence once per field. */
function uniqueFieldErrors(error: ZodError) {
  const fieldErrors: Record<string, string[] | undefined> = z.flattenError(error).fieldErrors;
  return Object.fromEntries(Object.entries(fieldErrors).map(([field, messages]) => [field, [...new Set(messages)]]));
}

export const createCallerFactory = t.createCallerFactory;
export const router = t.router;

/**
 * Turns DomainErrors (and the other failures the shop expects) into typed tRPC errors (see error-mapping.ts). A
 * refusal that says when to try again (RATE_LIMITED) also says it in a Retry-After header.
 */
const domainErrors = t.middleware(async ({ ctx, getRawInput, next }) => {
  // An input superjson could not read (see UNREADABLE_INPUT) is refused before any procedure looks at it. (Here and
  // not in a middleware of its own: every level of middleware is a few object copies on every call.)
  if ((await getRawInput()) === UNREADABLE_INPUT) throw new TRPCError({ code: "BAD_REQUEST", message: UNREADABLE_REQUEST_MESSAGE });
  const result = await next();
  const expected = result.ok ? undefined : transportErrorFor(result.error.cause);
  if (!expected) return result;
  const retryAfterSeconds = expected.cause instanceof DomainError ? expected.cause.retryAfterSeconds : undefined;
  if (retryAfterSeconds !== undefined) ctx.client.setResponseHeader("retry-after", String(retryAfterSeconds));
  throw expected;
});

export const publicProcedure = t.procedure.use(domainErrors);

/** Signed in. Adds `ctx.customer`; a session that no longer opens (signed out, expired, account gone) is cleared. */
export const protectedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const customer = await ctx.session.customer();
  if (!customer) {
    await ctx.session.signOut();
    throw new DomainError("UNAUTHENTICATED", "Please sign in to continue.");
  }
  return next({ ctx: { ...ctx, customer } });
});

/** Signed in as shop staff (admin or support): may look at the admin monitor. */
export const staffProcedure = protectedProcedure.use(async ({ ctx, next }) => {
  if (ctx.customer.role !== "admin" && ctx.customer.role !== "support") {
    throw new DomainError("FORBIDDEN", "This page is for shop operators only.");
  }
  return next();
});

/** Signed in as a shop operator (admin): may act (retry, cancel, change rules). Support staff may only look. */
export const adminProcedure = protectedProcedure.use(async ({ ctx, next }) => {
  if (ctx.customer.role === "support") {
    throw new DomainError("FORBIDDEN", "Support staff can look but not act: ask an admin to do this.");
  }
  if (ctx.customer.role !== "admin") throw new DomainError("FORBIDDEN", "This page is for shop operators only.");
  return next();
});
