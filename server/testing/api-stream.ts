import superjson, { type SuperJSONResult } from "superjson";
import { handleTrpcRequest } from "@/server/api/http-handler";
import { apiErrorSchema, encode, ENDPOINT, ORIGIN, type ApiClient, type ApiError, type OutputOf, type ProcedurePath } from "./api-client";

/**
 * A subscription driven the way tRPC's httpSubscriptionLink drives it — GET `?input=`, an SSE response from the
 * fetch adapter, superjson in each event — read one event at a time, so a test can say what arrived, in what order,
 * and that nothing else did.
 */

/** What each event of the subscription carries (the data inside tracked() envelopes). */
export type StreamedOf<Path extends ProcedurePath> =
  OutputOf<Path> extends AsyncIterable<{ id: string; data: infer Data }> ? Data : OutputOf<Path> extends AsyncIterable<infer Data> ? Data : never;

export type StreamEvent<Data> =
  | { type: "connected" }
  | { type: "data"; id?: string; data: Data }
  | { type: "error"; error: ApiError }
  /** The server ended the stream on purpose (the generator returned). */
  | { type: "return" };

export type ApiStream<Data> = {
  status: number;
  contentType: string | null;
  /** The next event, pings skipped; null once the response ended. Fails when none comes within `timeoutMs`. */
  next(timeoutMs?: number): Promise<StreamEvent<Data> | null>;
  /** Every event until the response ends (fails after `timeoutMs` in all). */
  rest(timeoutMs?: number): Promise<StreamEvent<Data>[]>;
  /** Hangs up, as a browser closing the page does. */
  close(): Promise<void>;
};

export type SubscribeOptions = { headers?: Record<string, string> };

const DEFAULT_TIMEOUT_MS = 10_000;

/** Opens a subscription as `client`'s customer; resolves once the response headers are in. */
export async function subscribe<Path extends ProcedurePath>(
  client: ApiClient,
  path: Path,
  input?: unknown,
  options: SubscribeOptions = {},
): Promise<ApiStream<StreamedOf<Path>>> {
  const hangUp = new AbortController();
  const search = input === undefined ? "" : `?input=${encodeURIComponent(encode(input))}`;
  const request = new Request(`${ORIGIN}${ENDPOINT}/${path}${search}`, { headers: options.headers, signal: hangUp.signal });
  const response = await handleTrpcRequest(request, async () => client.session.forRequest());
  if (!response.body) throw new Error(`A subscription answered HTTP ${response.status} without a body`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  let pending: Promise<ReadableStreamReadResult<string>> | null = null;

  /** The next SSE message's text (fields up to a blank line), or null at the end of the response. */
  async function nextMessage(timeoutMs: number): Promise<string | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = buffered.indexOf("\n\n");
      if (end >= 0) {
        const message = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        if (message.trim() !== "") return message;
        continue;
      }
      pending ??= reader.read();
      const chunk = await withTimeout(pending, deadline - Date.now(), `an event from ${path}`);
      pending = null;
      if (chunk.done) return null;
      buffered += chunk.value;
    }
  }

  async function next(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<StreamEvent<StreamedOf<Path>> | null> {
    for (;;) {
      const message = await nextMessage(timeoutMs);
      if (message === null) return null;
      const event = parseEvent<StreamedOf<Path>>(message);
      if (event) return event;
    }
  }

  return {
    status: response.status,
    contentType: response.headers.get("content-type"),
    next,
    async rest(timeoutMs = DEFAULT_TIMEOUT_MS) {
      const deadline = Date.now() + timeoutMs;
      const events: StreamEvent<StreamedOf<Path>>[] = [];
      for (let event = await next(timeoutMs); event; event = await next(deadline - Date.now())) events.push(event);
      return events;
    },
    async close() {
      hangUp.abort();
      await reader.cancel().catch(() => {});
    },
  };
}

/** One SSE message as tRPC's producer writes it (`event:`, `data:`, `id:` lines); null for pings and the like. */
function parseEvent<Data>(message: string): StreamEvent<Data> | null {
  const fields = new Map<string, string>();
  for (const line of message.split("\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).trimStart());
  }
  const decode = () => superjson.deserialize(JSON.parse(fields.get("data") ?? "null") as SuperJSONResult);
  switch (fields.get("event") ?? "message") {
    case "connected":
      return { type: "connected" };
    case "message": {
      const id = fields.get("id");
      return { type: "data", ...(id ? { id } : {}), data: decode() as Data };
    }
    case "serialized-error":
      return { type: "error", error: apiErrorSchema.parse(decode()) };
    case "return":
      return { type: "return" };
    default:
      return null;
  }
}

async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, waitingFor: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after waiting for ${waitingFor}`)), Math.max(0, timeoutMs));
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
