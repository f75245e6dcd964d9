import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "./root";
import { createContext } from "./trpc";
import { trpcRefusalBody, trpcRequestRefusal } from "./trpc-request-rules";
import type { Session } from "./session";

const ENDPOINT = "/api/trpc";

/**
 * Serves the API over HTTP at /api/trpc (Next's route handler, for `next dev`; the shop's own server answers the API
 * in front of Next). The same refusals as there come first. The session source is passed in so tests can drive it
 * without Next.
 */
export async function handleTrpcRequest(request: Request, getSession: () => Promise<Session>): Promise<Response> {
  const url = new URL(request.url);
  const refusal = trpcRequestRefusal({
    method: request.method,
    contentType: request.headers.get("content-type"),
    path: decodeURIComponent(url.pathname.slice(ENDPOINT.length + 1)),
    isBatch: url.searchParams.get("batch") === "1",
  });
  if (refusal) return new Response(trpcRefusalBody(refusal), { status: refusal.status, headers: { "content-type": "application/json" } });
  return fetchRequestHandler({
    endpoint: ENDPOINT,
    req: request,
    router: appRouter,
    createContext: async () => createContext({ session: await getSession() }),
  });
}
