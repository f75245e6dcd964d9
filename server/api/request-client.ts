/**
 * What the API knows of whoever sent a request besides their session: the address it came from (for the limits per
 * network, server/limits) and a way to add a header to the HTTP answer (Retry-After). Each door fills it in: the Node
 * server from its socket (server/http/node-client.ts), the fetch handler from the Request (server/api/http-handler.ts).
 */
export type RequestClient = {
  /** The client's IP address (see server/limits/client-address.ts), or undefined where the door cannot know it. */
  readonly ip: string | undefined;
  /** Adds a header to the HTTP answer. */
  setResponseHeader(name: string, value: string): void;
};

/** Server components: no HTTP request of their own to answer, and they never call a limited procedure. */
export const NO_REQUEST_CLIENT: RequestClient = { ip: undefined, setResponseHeader: () => undefined };
