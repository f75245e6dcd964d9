import { describe, expect, it } from "vitest";
import { chargedToCaller, selfTimeBetween, type Profile, type ProfileNode } from "./cpu-profile";

const frame = (functionName: string, url = "") => ({ functionName, url, lineNumber: 0 });

/** Samples 1 ms apart from t = 1,000 µs: work, work, idle, gc, work, work. */
const profile: Profile = {
  nodes: [
    { id: 1, callFrame: frame("(root)") },
    { id: 2, callFrame: frame("render", "file:///app/x.js") },
    { id: 3, callFrame: frame("(idle)") },
    { id: 4, callFrame: frame("(garbage collector)") },
  ],
  startTime: 0,
  endTime: 8_000,
  samples: [2, 2, 3, 4, 2, 2],
  timeDeltas: [1_000, 1_000, 1_000, 1_000, 1_000, 1_000],
};

const groupOf = (node: ProfileNode) =>
  node.callFrame.functionName === "(idle)" ? null : node.callFrame.functionName === "(garbage collector)" ? "GC" : "work";

describe("selfTimeBetween", () => {
  it("sums each sample's time until the next one by group, leaving out what groupOf leaves out", () => {
    // Samples at 1, 2, 3, 4, 5, 6 ms; the last has no next sample and counts nothing.
    expect(selfTimeBetween(profile, { startUs: 0, endUs: 10_000 }, groupOf)).toEqual({ busyMs: 4, byGroup: { work: 3, GC: 1 } });
  });

  it("counts only the samples taken within the window (start included, end not)", () => {
    expect(selfTimeBetween(profile, { startUs: 2_000, endUs: 5_000 }, groupOf)).toEqual({ busyMs: 2, byGroup: { work: 1, GC: 1 } });
    expect(selfTimeBetween(profile, { startUs: 20_000, endUs: 30_000 }, groupOf)).toEqual({ busyMs: 0, byGroup: {} });
  });
});

describe("chargedToCaller", () => {
  // (root) → pg query → node write → native writev; (root) → node parser → native read
  const calls: Profile = {
    nodes: [
      { id: 1, callFrame: frame("(root)"), children: [2, 5] },
      { id: 2, callFrame: frame("query", "file:///app/node_modules/pg/lib/client.js"), children: [3] },
      { id: 3, callFrame: frame("write", "node:net"), children: [4] },
      { id: 4, callFrame: frame("writev") },
      { id: 5, callFrame: frame("parserOnIncoming", "node:_http_server"), children: [6] },
      { id: 6, callFrame: frame("read") },
    ],
    startTime: 0,
    endTime: 1,
  };
  const own = (node: ProfileNode) => {
    const url = node.callFrame.url;
    if (node.callFrame.functionName === "(root)") return null;
    return url.includes("node_modules/pg") ? "pg" : url.startsWith("node:") ? "node" : "native";
  };
  const byId = (id: number) => calls.nodes.find((node) => node.id === id) as ProfileNode;

  it("charges Node's work to the nearest caller outside Node, and keeps it Node's when Node itself called it", () => {
    const groupOf = chargedToCaller(calls, own, new Set(["node", "native"]));
    expect([2, 3, 4, 5, 6].map((id) => groupOf(byId(id)))).toEqual(["pg", "pg", "pg", "node", "native"]);
    expect(groupOf(byId(1))).toBeNull();
  });
});
