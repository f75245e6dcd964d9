import http from "node:http";

/** A minimal HTTP/1.1 client for the tRPC API over keep-alive connections, only ever to 127.0.0.1. */

export type HttpResult = { status: number; body: unknown; headers: http.IncomingHttpHeaders } | { status: 0; error: string };

export function createAgent(maxSockets: number): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
}

export function request(options: {
  agent: http.Agent;
  port: number;
  method: "GET" | "POST";
  path: string;
  cookie?: string;
  body?: unknown;
  /** Sent as is, after the ones above. */
  headers?: Record<string, string>;
  timeoutMs: number;
}): Promise<HttpResult> {
  const payload = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port: options.port,
        method: options.method,
        path: options.path,
        agent: options.agent,
        headers: {
          accept: "application/json",
          ...(payload ? { "content-type": "application/json", "content-length": payload.length } : {}),
          ...(options.cookie ? { cookie: options.cookie } : {}),
          ...options.headers,
        },
        timeout: options.timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // Not JSON (an HTML error page): keep the text.
          }
          resolve({ status: res.statusCode ?? 0, body, headers: res.headers });
        });
        res.on("error", (error) => resolve({ status: 0, error: error.message }));
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    req.on("error", (error) => resolve({ status: 0, error: error.message }));
    if (payload) req.write(payload);
    req.end();
  });
}

/** tRPC (superjson) success: `{"result":{"data":{"json":…}}}`. */
export function trpcData<T>(body: unknown): T | undefined {
  return (body as { result?: { data?: { json?: T } } } | null)?.result?.data?.json;
}

/** tRPC (superjson) error: `{"error":{"json":{"message","data":{"code","httpStatus","domainCode"}}}}`. */
export function trpcError(body: unknown): { message?: string; code?: string; domainCode?: string } | undefined {
  const json = (body as { error?: { json?: { message?: string; data?: { code?: string; domainCode?: string } } } } | null)?.error
    ?.json;
  return json ? { message: json.message, code: json.data?.code, domainCode: json.data?.domainCode } : undefined;
}

export function trpcQueryPath(procedure: string, input: unknown): string {
  return `/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
}

/** A failed answer in a few words: "no response (…)", or the status with tRPC's code, domain code and message. */
export function describeFailure(result: HttpResult | undefined): string {
  if (!result) return "no result";
  if (result.status === 0) return `no response (${"error" in result ? result.error : "?"})`;
  const error = "body" in result ? trpcError(result.body) : undefined;
  return `HTTP ${result.status}${error ? ` ${error.code ?? ""} ${error.domainCode ?? ""}: ${error.message ?? ""}` : ""}`.trim();
}
