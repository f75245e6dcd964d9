import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { env } from "@/server/env";
import { clientAddress } from "@/server/limits/client-address";
import { appRouter } from "./root";
import { createContext } from "./trpc";
import type { RequestClient } from "./request-client";
import { trpcRefusalBody, trpcRequestRefusal } from "./trpc-request-rules";
import type { Session } from "./session";

const ENDPOINT = "/api/trpc";

/**
 * Serves the API over HTTP at /api/trpc (Next's route handler, for `next dev`; the shop's own server answers the API
 * in front of Next). The same refusals as there come first. The session source is passed in so tests can drive it
 * without Next. A fetch Request carries no socket, so the client's address is X-Forwarded-For's when a proxy of ours
 * is in front (TRUSTED_PROXY_HOPS), else unknown — unless the caller knows it (`clientIp`: tests).
 */
export async function handleTrpcRequest(
  request: Request,
  getSession: () => Promise<Session>,
  options: { clientIp?: string } = {},
): Promise<Response> {
  const url = new URL(request.url);
  const refusal = trpcRequestRefusal({
    method: request.method,
    contentType: request.headers.get("content-type"),
    path: decodeURIComponent(url.pathname.slice(ENDPOINT.length + 1)),
    isBatch: url.searchParams.get("batch") === "1",
  });
  if (refusal) return new Response(trpcRefusalBody(refusal), { status: refusal.status, headers: { "content-type": "application/json" } });
  const headers = new Headers();
  const client: RequestClient = {
    ip:
      options.clientIp ??
      clientAddress({
        socketAddress: undefined,
        forwardedFor: request.headers.get("x-forwarded-for") ?? undefined,
        trustedProxyHops: env.TRUSTED_PROXY_HOPS,
      }),
    setResponseHeader: (name, value) => headers.set(name, value),
  };
  return fetchRequestHandler({
    endpoint: ENDPOINT,
    req: request,
    router: appRouter,
    createContext: async () => createContext({ session: await getSession(), client }),
    responseMeta: () => ({ headers }),
  });
}
