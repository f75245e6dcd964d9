import { z } from "zod";
import { storableText } from "@/server/safe-input";

/** Input schemas of the auth procedures; the sign-in and sign-up forms use the same rules. */
export const emailSchema = z
  .string({ error: "Enter your email address." })
  .trim()
  .min(1, "Enter your email address.")
  .max(254, "That email address is too long.")
  .pipe(z.email({ error: "Enter a valid email address, like ada@example.com." }));

/**
 * A password being chosen (sign-up, password change). The domain also refuses the common ones
 * (server/retail/customers/password-rules.ts), which needs the list, so it is not part of this schema the forms share.
 */
export const newPasswordSchema = z
  .string({ error: "Choose a password." })
  .min(8, "Passwords need at least 8 characters.")
  // argon2 would accept more, but a megabyte "password" is an attack, not a password.
  .max(200, "Passwords can be at most 200 characters.")
  // A lone surrogate would reach argon2 as U+FFFD: two different passwords would then be the same one.
  .refine(...storableText);

/** A password being checked (sign-in, the current one of a password change). */
const givenPasswordSchema = z.string({ error: "Enter your password." }).min(1, "Enter your password.").max(200, "That password is too long.");

export const signUpInput = z.object({
  email: emailSchema,
  name: z
    .string({ error: "Enter your name." })
    .trim()
    .min(1, "Enter your name.")
    .max(100, "Names can be at most 100 characters.")
    .refine(...storableText),
  password: newPasswordSchema,
});

export const signInInput = z.object({
  email: emailSchema,
  password: givenPasswordSchema,
});

export const changePasswordInput = z.object({ current: givenPasswordSchema, next: newPasswordSchema });
