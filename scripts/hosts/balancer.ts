import http from "node:http";

/** HAProxy's own view of the hosts, from its stats page in CSV (`/;csv`): each server's status, e.g. "UP", "DOWN". */
export async function serverStatuses(statsPort: number): Promise<Record<string, string>> {
  const csv = await new Promise<string>((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port: statsPort, path: "/;csv", timeout: 2_000 }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve(text));
    });
    req.on("timeout", () => req.destroy(new Error("no answer from HAProxy's stats")));
    req.on("error", reject);
  });
  const [header, ...lines] = csv.trim().split("\n");
  const columns = (header ?? "").replace(/^# /, "").split(",");
  const [proxy, server, status] = ["pxname", "svname", "status"].map((name) => columns.indexOf(name));
  const result: Record<string, string> = {};
  for (const line of lines) {
    const cells = line.split(",");
    if (cells[proxy as number] === "hosts" && !["FRONTEND", "BACKEND"].includes(cells[server as number] ?? "")) {
      result[cells[server as number] ?? "?"] = cells[status as number] ?? "?";
    }
  }
  return result;
}

/** Polls until HAProxy reports `server` down; returns when that was, in ms after `since`, or null after `timeoutMs`. */
export async function waitUntilOutOfRotation(statsPort: number, server: string, since: number, timeoutMs = 10_000): Promise<number | null> {
  while (performance.now() - since < timeoutMs) {
    const statuses = await serverStatuses(statsPort).catch(() => ({}) as Record<string, string>);
    if (statuses[server]?.startsWith("DOWN")) return performance.now() - since;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return null;
}

/** Waits until HAProxy has every one of `servers` in rotation (each must pass its `rise` checks first). */
export async function waitUntilInRotation(statsPort: number, servers: readonly string[], timeoutMs = 20_000): Promise<void> {
  const started = performance.now();
  let statuses: Record<string, string> = {};
  while (performance.now() - started < timeoutMs) {
    statuses = await serverStatuses(statsPort).catch(() => ({}));
    if (servers.every((server) => statuses[server]?.startsWith("UP"))) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`HAProxy did not put every host in rotation within ${timeoutMs / 1_000} s: ${JSON.stringify(statuses)}`);
}
