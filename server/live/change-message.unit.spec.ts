import { describe, expect, it } from "vitest";
import { decodeChangeMessage, encodeChangeMessage } from "./change-message";

describe("change messages", () => {
  it("carry when the change committed, and read back as written", () => {
    expect(decodeChangeMessage(encodeChangeMessage({ committedAt: 1_764_000_000_000 }))).toEqual({ committedAt: 1_764_000_000_000 });
  });

  it("read as null when they are not ours (anything can publish on Redis)", () => {
    for (const text of ["", "not json", "{}", '{"committedAt":"yesterday"}', "[1]"]) expect(decodeChangeMessage(text)).toBeNull();
  });
});
