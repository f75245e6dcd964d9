import type { IncomingMessage, ServerResponse } from "node:http";
import {
  getTRPCErrorFromUnknown,
  getTRPCErrorShape,
  transformTRPCResponse,
  type AnyTRPCProcedure,
  type AnyTRPCRouter,
} from "@trpc/server";
import { getHTTPStatusCode } from "@trpc/server/http";

/**
 * The plain calls of the API — queries by GET and mutations by POST, one or a batch (`?batch=1`), JSON in and out — run
 * straight through the procedures, without the Fetch Request/Response, AbortSignals and stream machinery that tRPC's
 * Node adapter builds around every request (about two fifths of the CPU of a sold-out checkout.start). The answer is
 * tRPC's own: its error shape (our errorFormatter), its status codes, its transformer. Anything else — subscriptions,
 * streams, other content types, unknown paths, a method the procedure does not take, input that is not JSON — is
 * handed to tRPC's adapter, with the body already read attached as `req.body` (which the adapter accepts).
 * trpc-plain-calls.int.spec.ts holds the two to the same answers.
 */
export type PlainCallOutcome = { answered: true } | { answered: false; body: string | undefined };

type Call = { path: string; procedure: AnyTRPCProcedure; input: unknown };

export async function answerPlainCall(options: {
  req: IncomingMessage;
  res: ServerResponse;
  router: AnyTRPCRouter;
  path: string;
  searchParams: URLSearchParams;
  createContext: () => Promise<unknown>;
}): Promise<PlainCallOutcome> {
  const { req, res, router } = options;
  if (!isPlainRequest(req)) return { answered: false, body: undefined };
  const body = req.method === "POST" ? await readBody(req) : undefined;
  const calls = plainCalls(router, req.method === "POST" ? "mutation" : "query", options.path, options.searchParams, body);
  if (!calls) return { answered: false, body };

  const ctx = await options.createContext();
  const config = router._def._config;
  const answers = await Promise.all(
    calls.map(async (call, batchIndex) => {
      const type = call.procedure._def.type;
      try {
        const data: unknown = await call.procedure({ path: call.path, getRawInput: async () => call.input, ctx, type, signal: undefined, batchIndex });
        return { result: { data } };
      } catch (cause) {
        const error = getTRPCErrorFromUnknown(cause);
        return { error: getTRPCErrorShape({ config, ctx, error, input: call.input, path: call.path, type }) };
      }
    }),
  );
  const isBatch = options.searchParams.get("batch") === "1";
  const payload = JSON.stringify(transformTRPCResponse(config, isBatch ? answers : answers[0]!));
  res.writeHead(getHTTPStatusCode(answers), {
    "content-type": "application/json",
    vary: "trpc-accept, accept",
    "content-length": Buffer.byteLength(payload),
  });
  res.end(payload);
  return { answered: true };
}

function isPlainRequest(req: IncomingMessage): boolean {
  if (req.headers["trpc-accept"] !== undefined) return false;
  if (req.method === "GET") return !req.headers.accept?.includes("text/event-stream");
  return req.method === "POST" && (req.headers["content-type"] ?? "").startsWith("application/json");
}

/** The calls a request makes, or null when any of them is not a plain one (tRPC's adapter then answers it). */
function plainCalls(
  router: AnyTRPCRouter,
  type: "query" | "mutation",
  path: string,
  searchParams: URLSearchParams,
  body: string | undefined,
): Call[] | null {
  const isBatch = searchParams.get("batch") === "1";
  const paths = isBatch ? path.split(",") : [path];
  const procedures: (AnyTRPCProcedure | undefined)[] = paths.map((name) => router._def.procedures[name]);
  if (procedures.some((procedure) => procedure?._def.type !== type)) return null;

  const text = type === "query" ? searchParams.get("input") : body;
  let inputs: unknown;
  try {
    inputs = text ? JSON.parse(text) : undefined;
  } catch {
    return null;
  }
  if (isBatch && inputs !== undefined && (typeof inputs !== "object" || inputs === null || Array.isArray(inputs))) return null;
  const deserialize = (value: unknown) => (value === undefined ? undefined : router._def._config.transformer.input.deserialize(value));
  return paths.map((name, index) => ({
    path: name,
    procedure: procedures[index]!,
    input: deserialize(isBatch ? (inputs as Record<string, unknown> | undefined)?.[index] : inputs),
  }));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
    // Closed before its end: cut off at the door's body limit (server/http/front-door.ts), or the client went away.
    req.on("close", () => reject(new Error("The request was closed before its body was read")));
  });
}
