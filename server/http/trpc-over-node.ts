import type { IncomingMessage, ServerResponse } from "node:http";
import { nodeHTTPRequestHandler } from "@trpc/server/adapters/node-http";
import { appRouter } from "@/server/api/root";
import { createContext } from "@/server/api/trpc";
import { nodeSession } from "./node-session";

export const TRPC_PREFIX = "/api/trpc/";

/**
 * The API served straight from Node's HTTP server, the same procedures and the same sealed cookie as Next's route
 * handler (app/api/trpc), but without Next's routing and rendering machinery in front: on the Cyber Monday hot
 * path (catalog.list, a sold-out checkout.start, checkout.status) that machinery cost more than the procedure.
 */
export function handleTrpcOverNode(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
  return nodeHTTPRequestHandler({
    req,
    res,
    path: decodeURIComponent(pathname.slice(TRPC_PREFIX.length)),
    router: appRouter,
    createContext: async () => createContext({ session: await nodeSession(req, res) }),
  });
}
