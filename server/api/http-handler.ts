import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "./root";
import { createContext } from "./trpc";
import type { Session } from "./session";

/** Serves the API over HTTP at /api/trpc. The session source is passed in so tests can drive it without Next. */
export function handleTrpcRequest(request: Request, getSession: () => Promise<Session>) {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    createContext: async () => createContext({ session: await getSession() }),
  });
}
