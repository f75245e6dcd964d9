import { describe, expect, it } from "vitest";
import { withoutPartitions } from "./partitions";

describe("the partition comparison's command line for each run", () => {
  it("keeps every argument but --partitions, in either spelling", () => {
    expect(withoutPartitions(["--levels", "32", "--partitions", "1,2,3", "--duration", "8"])).toEqual(["--levels", "32", "--duration", "8"]);
    expect(withoutPartitions(["--partitions=1,3", "--label", "x"])).toEqual(["--label", "x"]);
    expect(withoutPartitions([])).toEqual([]);
  });
});
