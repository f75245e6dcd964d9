import type { AnyProcedure, inferProcedureOutput } from "@trpc/server";
import superjson, { type SuperJSONResult, type SuperJSONValue } from "superjson";
import { z } from "zod";
import { handleTrpcRequest } from "@/server/api/http-handler";
import type { AppRouter } from "@/server/api/root";
import { createMemorySession, type MemorySession } from "./memory-session";

/**
 * A tiny client that drives the API the way a browser does — a real `Request` through tRPC's fetch adapter, one
 * procedure per request (not batched), superjson on the wire — but without Next: the session is an in-memory one.
 */

export const ORIGIN = "http://shop.test";
export const ENDPOINT = "/api/trpc";

type ProcedureRecord = AppRouter["_def"]["record"];
type IsProcedure<Node> = Node extends { _def: { type: "query" | "mutation" | "subscription" } } ? true : false;

/** "auth.signUp", "wallet.get", "admin.loyalty.rules.list", … every procedure of the app router, however nested. */
export type ProcedurePath<Routers = ProcedureRecord, Prefix extends string = ""> = {
  [Key in keyof Routers & string]: IsProcedure<Routers[Key]> extends true
    ? `${Prefix}${Key}`
    : ProcedurePath<Routers[Key], `${Prefix}${Key}.`>;
}[keyof Routers & string];

type NodeAt<Routers, Path extends string> = Path extends `${infer Head}.${infer Rest}`
  ? Head extends keyof Routers
    ? NodeAt<Routers[Head], Rest>
    : never
  : Path extends keyof Routers
    ? Routers[Path]
    : never;

export type OutputOf<Path extends ProcedurePath> =
  NodeAt<ProcedureRecord, Path> extends AnyProcedure ? inferProcedureOutput<NodeAt<ProcedureRecord, Path>> : never;

/** The error a tRPC response carries under `error.json` (see errorFormatter in server/api/trpc.ts). */
export const apiErrorSchema = z.object({
  message: z.string(),
  code: z.number(),
  data: z.looseObject({
    code: z.string(),
    httpStatus: z.number(),
    path: z.string().optional(),
    stack: z.string().optional(),
    domainCode: z.string().optional(),
    retryAfterSeconds: z.number().optional(),
    fieldErrors: z.record(z.string(), z.array(z.string()).optional()).optional(),
  }),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

const errorBodySchema = z.object({ error: z.object({ json: z.unknown(), meta: z.unknown().optional() }) });
const resultBodySchema = z.object({
  result: z.object({ data: z.object({ json: z.unknown(), meta: z.unknown().optional() }) }),
});

export type ApiResponse<Data = unknown> = {
  status: number;
  headers: Headers;
  /** The response body parsed as JSON (undefined when it is not JSON; see `text`). */
  body: unknown;
  text: string;
  /** The procedure's result, superjson-decoded. Throws (failing the test) when the response is an error. */
  data(): Data;
  /** The error of a failed call. Throws (failing the test) when the response is not a tRPC error. */
  error(): ApiError;
};

export type RawRequest = {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Procedure path, e.g. "wallet.topUp" (sent as-is, so it may be anything). */
  path: string;
  /** The raw query string after `?`, e.g. "input=%7B%7D". */
  search?: string;
  /** The raw request body, sent byte for byte. */
  body?: string;
  /** Defaults to `content-type: application/json` when a body is given. */
  headers?: Record<string, string>;
};

export type ApiClient = {
  readonly session: MemorySession;
  /** A query (GET, `?input=` superjson-encoded). Omit `input` for procedures without one. */
  query<Path extends ProcedurePath>(path: Path, input?: unknown): Promise<ApiResponse<OutputOf<Path>>>;
  /** A mutation (POST, superjson-encoded JSON body). */
  mutate<Path extends ProcedurePath>(path: Path, input?: unknown): Promise<ApiResponse<OutputOf<Path>>>;
  /** Anything at all: malformed JSON, wrong methods, wrong content types, unknown paths. */
  raw(request: RawRequest): Promise<ApiResponse>;
};

/**
 * A client bound to one session: one per test customer, so their cookies never mix. `ip` is the address its requests
 * come from (the limits per network count by it); without one the API cannot tell, as behind Next's route handler.
 */
export function createApiClient(session: MemorySession = createMemorySession(), options: { ip?: string } = {}): ApiClient {
  return {
    session,
    query(path, input) {
      const search = input === undefined ? undefined : `input=${encodeURIComponent(encode(input))}`;
      return send(session, { method: "GET", path, search }, options.ip);
    },
    mutate(path, input) {
      return send(session, { method: "POST", path, body: encode(input) }, options.ip);
    },
    raw(request) {
      return send(session, request, options.ip);
    },
  };
}

/** What tRPC's client puts on the wire: `{"json": …}` (plus `meta` for values JSON cannot carry). */
export function encode(input: unknown): string {
  return JSON.stringify(superjson.serialize(input as SuperJSONValue));
}

async function send<Data>(session: MemorySession, request: RawRequest, clientIp: string | undefined): Promise<ApiResponse<Data>> {
  const url = `${ORIGIN}${ENDPOINT}/${request.path}${request.search === undefined ? "" : `?${request.search}`}`;
  const headers = new Headers(request.headers);
  if (request.body !== undefined && !headers.has("content-type")) headers.set("content-type", "application/json");
  const response = await handleTrpcRequest(
    new Request(url, { method: request.method, headers, body: request.body }),
    async () => session.forRequest(),
    { clientIp },
  );
  const text = await response.text();
  const body = parseJson(text);
  return {
    status: response.status,
    headers: response.headers,
    body,
    text,
    data() {
      const parsed = resultBodySchema.safeParse(body);
      if (!parsed.success) throw new Error(`Expected a result, got HTTP ${response.status}: ${text}`);
      // The client's own decoding: the type is the router's declared output.
      const { json, meta } = parsed.data.result.data;
      return superjson.deserialize<Data>({ json, meta } as SuperJSONResult);
    },
    error() {
      const parsed = errorBodySchema.safeParse(body);
      if (!parsed.success) throw new Error(`Expected a tRPC error, got HTTP ${response.status}: ${text}`);
      const { json, meta } = parsed.data.error;
      const error = apiErrorSchema.safeParse(superjson.deserialize({ json, meta } as SuperJSONResult));
      if (!error.success) throw new Error(`Unexpected error shape (${error.error.message}): ${text}`);
      return error.data;
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
