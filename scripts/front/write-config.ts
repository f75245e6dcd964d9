import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { ensureHaproxy } from "../hosts/ensure-tools";
import { oneHostFrontConfig, writeConfig } from "./front-door";

/**
 * `tsx scripts/front/write-config.ts --port 3000 --web-port 3001`: writes (and has HAProxy check) the front door's
 * configuration for one host, installing HAProxy first as root on Debian, and prints the file's path for
 * scripts/shop.sh to start `haproxy -db -f <file>` with. Without HAProxy it says why on stderr and exits 2: the shop
 * then runs without its front door.
 */
const { values } = parseArgs({ options: { port: { type: "string" }, "web-port": { type: "string" } } });
const frontPort = Number(values.port);
const webPort = Number(values["web-port"]);
if (!Number.isInteger(frontPort) || !Number.isInteger(webPort)) {
  console.error("Usage: tsx scripts/front/write-config.ts --port <front port> --web-port <web server port>");
  process.exit(1);
}
try {
  ensureHaproxy();
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
console.log(writeConfig(path.join(os.tmpdir(), `unicorn-retail-front-${frontPort}.cfg`), oneHostFrontConfig({ frontPort, webPort })));
