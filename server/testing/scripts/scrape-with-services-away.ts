import http from "node:http";
import type { AddressInfo } from "node:net";
import { shopRequestListener } from "@/server/http/shop-server";

/**
 * For server/metrics/metrics-endpoint.int.spec.ts: a web server's door whose PostgreSQL and Redis are both away (its
 * DATABASE_URL and REDIS_URL name ports nobody listens on) answers one scrape; prints its status, its time and its
 * body, then exits.
 */
const TOKEN = "away-test-metrics-token-0123456789";

const server = http.createServer(
  shopRequestListener({
    appUrl: "http://shop.test:3000",
    bodyLimitBytes: 65_536,
    metricsToken: TOKEN,
    renderWithNext: async (_, res) => void res.writeHead(404).end(),
  }),
);
server.listen(0, "127.0.0.1", async () => {
  const began = performance.now();
  const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  const body = await response.text();
  console.log(`status ${response.status} in ${Math.round(performance.now() - began)} ms`);
  console.log(body);
  process.exit(0);
});
