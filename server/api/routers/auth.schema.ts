import { z } from "zod";
import { storableText } from "@/server/safe-input";

/** Input schemas of the auth procedures; the sign-in and sign-up forms use the same rules. */
export const emailSchema = z
  .string({ error: "Enter your email address." })
  .trim()
  .min(1, "Enter your email address.")
  .max(254, "That email address is too long.")
  .pipe(z.email({ error: "Enter a valid email address, like ada@example.com." }));

export const signUpInput = z.object({
  email: emailSchema,
  name: z
    .string({ error: "Enter your name." })
    .trim()
    .min(1, "Enter your name.")
    .max(100, "Names can be at most 100 characters.")
    .refine(...storableText),
  password: z
    .string({ error: "Choose a password." })
    .min(8, "Passwords need at least 8 characters.")
    // argon2 would accept more, but a megabyte "password" is an attack, not a password.
    .max(200, "Passwords can be at most 200 characters."),
});

export const signInInput = z.object({
  email: emailSchema,
  password: z.string({ error: "Enter your password." }).min(1, "Enter your password.").max(200, "That password is too long."),
});
