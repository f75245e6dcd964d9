import type { IncomingMessage, ServerResponse } from "node:http";
import type { RequestClient } from "@/server/api/request-client";
import { env } from "@/server/env";
import { clientAddress } from "@/server/limits/client-address";

/** The client of a request at the Node door: its address from the socket (X-Forwarded-For only behind our proxies). */
export function nodeClient(req: IncomingMessage, res: ServerResponse): RequestClient {
  return {
    get ip() {
      return clientAddress({
        socketAddress: req.socket.remoteAddress,
        forwardedFor: [req.headers["x-forwarded-for"] ?? []].flat().join(","),
        trustedProxyHops: env.TRUSTED_PROXY_HOPS,
      });
    },
    // Kept by Node until the answer's writeHead, which adds its own headers to these.
    setResponseHeader: (name, value) => res.setHeader(name, value),
  };
}
