import { describe, expect, it } from "vitest";
import { DomainError } from "@/server/errors";
import { COMMON_PASSWORD_MESSAGE, isCommonPassword, refuseCommonPassword } from "./password-rules";

describe("the common-password check", () => {
  it("finds the list's passwords whatever their case and surrounding spaces", () => {
    for (const password of ["12345678", "password1", "PassWord1", " iloveyou ", "qwertyuiop"]) {
      expect(isCommonPassword(password), password).toBe(true);
    }
  });

  it("lets other passwords through, the demo accounts' and the tests' among them", () => {
    for (const password of ["cybermonday", "correct-horse-battery", "rainbow-hooves", "chaos-monkey-password", "12345678x!"]) {
      expect(isCommonPassword(password), password).toBe(false);
    }
  });

  it("refuses a common password as a VALIDATION error on the field it names", () => {
    expect(() => refuseCommonPassword({ password: "Password1", field: "next" })).toThrow(
      expect.objectContaining({ code: "VALIDATION", field: "next", message: COMMON_PASSWORD_MESSAGE }) as DomainError,
    );
  });
});
