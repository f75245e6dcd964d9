import type { IncomingMessage, ServerResponse } from "node:http";
import type { TRPC_ERROR_CODES_BY_KEY } from "@trpc/server/rpc";
import { nodeHTTPRequestHandler } from "@trpc/server/adapters/node-http";
import { appRouter } from "@/server/api/root";
import { createContext } from "@/server/api/trpc";
import { trpcRefusalBody, trpcRequestRefusal } from "@/server/api/trpc-request-rules";
import { nodeClient } from "./node-client";
import { nodeSession } from "./node-session";
import { answerPlainCall } from "./trpc-plain-calls";

export const TRPC_PREFIX = "/api/trpc/";

/**
 * The API served straight from Node's HTTP server, the same procedures and the same session cookie as Next's route
 * handler (app/api/trpc), but without Next's routing and rendering machinery in front: on the Cyber Monday hot
 * path (catalog.list, a sold-out checkout.start, checkout.status) that machinery cost more than the procedure.
 * Plain calls skip tRPC's adapter too (trpc-plain-calls.ts); the adapter answers everything else. Says which did, or
 * that the request was refused before either (see server/api/trpc-request-rules.ts).
 */
export async function handleTrpcOverNode(req: IncomingMessage, res: ServerResponse): Promise<"plain call" | "adapter" | "refused"> {
  const url = new URL(req.url ?? "/", "http://shop.invalid");
  const path = decodeURIComponent(url.pathname.slice(TRPC_PREFIX.length));
  const refusal = trpcRequestRefusal({ method: req.method, contentType: req.headers["content-type"], path, isBatch: url.searchParams.get("batch") === "1" });
  if (refusal) {
    refuseTrpcRequest(req, res, refusal);
    return "refused";
  }
  const outcome = await answerPlainCall({ req, res, router: appRouter, path, searchParams: url.searchParams, createContext: contextOf(req, res) });
  if (outcome.answered) return "plain call";
  if (outcome.body !== undefined) Object.assign(req, { body: outcome.body });
  await answerWithTrpcAdapter(req, res, path);
  return "adapter";
}

/**
 * Answers with tRPC's error shape before any procedure runs. A request whose body is not read is answered with the
 * connection closed, so that the rest of the body is not waited for.
 */
export function refuseTrpcRequest(
  req: IncomingMessage,
  res: ServerResponse,
  refusal: { status: number; code: keyof typeof TRPC_ERROR_CODES_BY_KEY; message: string },
): void {
  if (res.headersSent) {
    req.destroy();
    return;
  }
  const body = trpcRefusalBody(refusal);
  res.writeHead(refusal.status, { "content-type": "application/json", "content-length": Buffer.byteLength(body), connection: "close" });
  res.end(body, () => req.destroy());
}

/** tRPC's own Node adapter, for what is not a plain call (and, in tests, to compare the plain calls' answers with). */
export function answerWithTrpcAdapter(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  return nodeHTTPRequestHandler({
    req,
    res,
    path,
    router: appRouter,
    createContext: contextOf(req, res),
  });
}

const contextOf = (req: IncomingMessage, res: ServerResponse) => async () =>
  createContext({ session: nodeSession(req, res), client: nodeClient(req, res) });
