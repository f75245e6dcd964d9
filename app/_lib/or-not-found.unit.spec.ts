import { TRPCError } from "@trpc/server";
import { describe, expect, it, vi } from "vitest";
import { orNotFound } from "./or-not-found";

const NOT_FOUND_PAGE = new Error("the 404 page");
vi.mock("next/navigation", () => ({
  notFound: () => {
    throw NOT_FOUND_PAGE;
  },
}));

describe("orNotFound", () => {
  it("gives the answer when there is one", async () => {
    await expect(orNotFound(Promise.resolve({ slug: "classic" }))).resolves.toEqual({ slug: "classic" });
  });

  it.each(["NOT_FOUND", "BAD_REQUEST"] as const)("shows the 404 page for %s", async (code) => {
    await expect(orNotFound(Promise.reject(new TRPCError({ code })))).rejects.toBe(NOT_FOUND_PAGE);
  });

  it.each(["UNAUTHORIZED", "FORBIDDEN", "INTERNAL_SERVER_ERROR"] as const)("lets %s through", async (code) => {
    const error = new TRPCError({ code });
    await expect(orNotFound(Promise.reject(error))).rejects.toBe(error);
  });

  it("lets anything that is not a procedure's answer through", async () => {
    const error = new Error("connection reset");
    await expect(orNotFound(Promise.reject(error))).rejects.toBe(error);
  });
});
