import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectDb } from "@/server/db";
import { HEALTH_PATH } from "./health";
import { shopRequestListener } from "./shop-server";

/** The load balancer's health check over real HTTP, through the shop's own request listener (a stand-in for Next). */
let nextCalls = 0;
let origin = "";
const server = http.createServer(
  shopRequestListener({
    appUrl: "http://shop.test:3000",
    bodyLimitBytes: 4_096,
    renderWithNext: async (_req, res) => {
      nextCalls += 1;
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("Next");
    },
  }),
);

function send(method: string, path: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${origin}${path}`, { method, agent: false }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, text }));
    });
    req.on("error", reject);
    req.end();
  });
}

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await disconnectDb();
});

describe(`GET ${HEALTH_PATH}`, () => {
  it("answers 200 ok at the door, never cached, without reaching Next", async () => {
    const before = nextCalls;
    const answer = await send("GET", HEALTH_PATH);
    expect(answer).toMatchObject({ status: 200, text: "ok" });
    expect(answer.headers["cache-control"]).toBe("no-store");
    expect(answer.headers["x-content-type-options"]).toBe("nosniff");
    expect(nextCalls).toBe(before);
  });

  it("answers HEAD with no body, and a query string does not change the answer", async () => {
    expect(await send("HEAD", HEALTH_PATH)).toMatchObject({ status: 200, text: "" });
    expect(await send("GET", `${HEALTH_PATH}?from=haproxy`)).toMatchObject({ status: 200, text: "ok" });
  });

  it("is only a health check for GET and HEAD: a POST goes on to the shop as before", async () => {
    const before = nextCalls;
    expect((await send("POST", HEALTH_PATH)).status).toBe(404);
    expect(nextCalls).toBe(before + 1);
  });
});
