import { Histogram, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { createHotPathHistogram } from "./hot-path-histogram";

describe("the door's hot-path histogram", () => {
  it("prints exactly what prom-client's own histogram prints for the same observations", async () => {
    const buckets = [0.001, 0.01, 0.1, 1];
    const theirs = new Registry();
    const ours = new Registry();
    const reference = new Histogram({ name: "door_seconds", help: "Door time.", labelNames: ["route", "status"], buckets, registers: [theirs] });
    const hot = createHotPathHistogram({ name: "door_seconds", help: "Door time.", labelNames: ["route", "status"], buckets, registers: [ours] });
    const observations: [Record<"route" | "status", string>, number][] = [
      [{ route: "/", status: "2xx" }, 0.0004],
      [{ route: "/", status: "2xx" }, 0.001],
      [{ route: "/", status: "2xx" }, 0.05],
      [{ route: "/", status: "5xx" }, 2.5],
      [{ route: "/products/[slug]", status: "2xx" }, 0.02],
    ];
    for (const [labels, value] of observations) {
      reference.observe(labels, value);
      hot.series(labels)(value);
    }
    expect(await ours.metrics()).toBe(await theirs.metrics());
    // The JSON the publisher reads too (prom-client's carries an empty exemplar slot; ours has no exemplars).
    const withoutExemplars = (await theirs.getMetricsAsJSON()).map(({ values, ...metric }) => ({
      ...metric,
      values: values.map((value) => Object.fromEntries(Object.entries(value).filter(([key]) => key !== "exemplar"))),
    }));
    expect(JSON.parse(JSON.stringify(await ours.getMetricsAsJSON()))).toEqual(JSON.parse(JSON.stringify(withoutExemplars)));
  });
});
