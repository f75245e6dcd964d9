import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { startChild, type SupervisedChild } from "./child-process";

/** Node scripts run as children: what they print, and whether they leave a grandchild in their process group. */
const node = (name: string, script: string): SupervisedChild =>
  track(startChild({ name, command: process.execPath, args: ["-e", script], env: process.env, onLine: (line) => lines.push(line) }));

/** Ignores SIGTERM and starts a grandchild that ignores it too, then says so: only a SIGKILL of the group ends both. */
const STUBBORN = `
  process.on("SIGTERM", () => {});
  const grandchild = require("node:child_process").spawn(process.execPath, ["-e", "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)"], { stdio: "ignore" });
  console.log("grandchild " + grandchild.pid);
  setInterval(() => {}, 1000);
`;

const started: SupervisedChild[] = [];
let lines: string[] = [];
const track = (child: SupervisedChild) => (started.push(child), child);

/** Whether the process runs (a zombie, dead but not yet reaped, does not). */
function isAlive(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0] !== "Z";
  } catch {
    return false;
  }
}

afterEach(async () => {
  for (const child of started.splice(0)) await child.crash();
  lines = [];
});

describe("startChild", () => {
  it("hands on its output line by line and resolves a wait once the output matches", async () => {
    const child = node("talker", `console.log("one"); console.error("two"); setTimeout(() => console.log("ready now"), 100)`);

    expect(await child.waitForOutput(/ready \w+/, 5_000)).toBe("ready now");
    expect(await child.exited).toEqual({ code: 0, signal: null });
    expect(lines).toEqual(expect.arrayContaining(["one", "two", "ready now"]));
  });

  it("fails a wait at once, with its last words, when the child exits first", async () => {
    const child = node("quitter", `console.log("bye"); process.exit(3)`);

    await expect(child.waitForOutput(/never/, 5_000)).rejects.toThrow(/quitter exited \(exit code 3\) before output matching \/never\/:\n[^]*bye/);
  });

  it("stops gracefully with SIGTERM, and kills the whole group when that is not enough", async () => {
    const polite = node("polite", `setInterval(() => {}, 1000)`);
    expect(await polite.stop({ timeoutMs: 5_000 })).toEqual({ code: null, signal: "SIGTERM", forced: false });

    const stubborn = node("stubborn", STUBBORN);
    const grandchild = Number((await stubborn.waitForOutput(/grandchild \d+/, 5_000)).split(" ")[1]);
    expect(await stubborn.stop({ timeoutMs: 300 })).toEqual({ code: null, signal: "SIGKILL", forced: true });
    await stubborn.gone();
    expect(isAlive(grandchild)).toBe(false);
  });

  it("crash() kills the child and everything in its group, and resolves once they are gone", async () => {
    const child = node("doomed", STUBBORN);
    const grandchild = Number((await child.waitForOutput(/grandchild \d+/, 5_000)).split(" ")[1]);

    expect(await child.crash()).toEqual({ code: null, signal: "SIGKILL" });
    expect(isAlive(grandchild)).toBe(false);
    expect(child.isRunning()).toBe(false);
  });
});
