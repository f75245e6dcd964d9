import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { env } from "@/server/env";
import { clientAddress } from "@/server/limits/client-address";
import { appRouter } from "./root";
import { createContext } from "./trpc";
import type { RequestClient } from "./request-client";
import type { Session } from "./session";

/**
 * Serves the API over HTTP at /api/trpc. The session source is passed in so tests can drive it without Next. A fetch
 * Request carries no socket, so the client's address is X-Forwarded-For's when a proxy of ours is in front
 * (TRUSTED_PROXY_HOPS), else unknown — unless the caller knows it (`clientIp`: tests).
 */
export function handleTrpcRequest(request: Request, getSession: () => Promise<Session>, options: { clientIp?: string } = {}) {
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
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    createContext: async () => createContext({ session: await getSession(), client }),
    responseMeta: () => ({ headers }),
  });
}
