import fs from "node:fs";
import path from "node:path";
import { DomainError } from "@/server/errors";

/**
 * What a new password must be beyond its length (checked with the input, server/api/routers/auth.schema.ts): not one
 * of the most common passwords, which any guesser tries first. Only new passwords are checked (sign-up, password
 * change); passwords already set keep working.
 *
 * The list is Openwall's `password.lst` (3,546 passwords, most common first; public domain), as Debian's john-data
 * package ships it, kept beside this file. Compared case-insensitively, ignoring surrounding spaces.
 */
export const COMMON_PASSWORD_MESSAGE = "That password is one of the most common ones, which are guessed first. Choose another.";

// Read from the working directory (the repository, for the web server and the tests) rather than next to the module:
// Next bundles the API's modules for its route handler, and a bundle has no directory of its own.
const LIST_FILE = path.join(process.cwd(), "server", "retail", "customers", "common-passwords.txt");

let commonPasswords: ReadonlySet<string> | undefined;

/** Whether `password` is on the list (read once, at the first check). */
export function isCommonPassword(password: string): boolean {
  commonPasswords ??= new Set(
    fs
      .readFileSync(LIST_FILE, "utf8")
      .split("\n")
      .filter((line) => !line.startsWith("#!comment:"))
      .map(comparable)
      .filter(Boolean),
  );
  return commonPasswords.has(comparable(password));
}

/** Refuses a common password as a new one, naming the form's `field`. */
export function refuseCommonPassword(options: { password: string; field: string }): void {
  if (isCommonPassword(options.password)) {
    throw new DomainError("VALIDATION", COMMON_PASSWORD_MESSAGE, { field: options.field });
  }
}

const comparable = (password: string) => password.trim().toLowerCase();
