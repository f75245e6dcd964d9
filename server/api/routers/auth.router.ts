import { limitPasswordGuesses, limitSignUps } from "@/server/limits/shop-limits";
import { authenticateCustomer } from "@/server/retail/customers/authenticate-customer";
import { changeCustomerPassword } from "@/server/retail/customers/change-customer-password";
import { closeEveryCustomerSession } from "@/server/retail/customers/customer-sessions";
import { signUpCustomer } from "@/server/retail/customers/sign-up-customer";
import { protectedProcedure, publicProcedure, router } from "../trpc";
import { changePasswordInput, signInInput, signUpInput } from "./auth.schema";

export const authRouter = router({
  /** Opens an account and signs it in (a limited number per network: server/limits). */
  signUp: publicProcedure.input(signUpInput).mutation(async ({ ctx, input }) => {
    const customer = await limitSignUps({ clientIp: ctx.client.ip }, () => signUpCustomer(input));
    await ctx.session.signIn(customer.id);
    return customer;
  }),

  /** Signs in (wrong passwords limited per account and per network: server/limits). */
  signIn: publicProcedure.input(signInInput).mutation(async ({ ctx, input }) => {
    const { customer, passwordHash } = await limitPasswordGuesses({ email: input.email, clientIp: ctx.client.ip }, () => authenticateCustomer(input));
    await ctx.session.signIn(customer.id, { passwordHash });
    return customer;
  }),

  signOut: publicProcedure.mutation(async ({ ctx }) => {
    await ctx.session.signOut();
    return { signedOut: true };
  }),

  /**
   * Changes the password (the current one is a guess like a sign-in's, limited the same way). Every session of the
   * customer is closed with it; the one who changed it gets a fresh session and stays signed in.
   */
  changePassword: protectedProcedure.input(changePasswordInput).mutation(async ({ ctx, input }) => {
    const { id, email } = ctx.customer;
    const changed = await limitPasswordGuesses({ email, clientIp: ctx.client.ip }, () => changeCustomerPassword({ customerId: id, ...input }));
    await ctx.session.signIn(id, changed);
    return { changed: true };
  }),

  /** Closes every session of the customer, this one included. */
  signOutEverywhere: protectedProcedure.mutation(async ({ ctx }) => {
    const sessionsClosed = await closeEveryCustomerSession({ customerId: ctx.customer.id });
    await ctx.session.signOut();
    return { signedOut: true, sessionsClosed };
  }),

  /** The signed-in customer, or null for a visitor. */
  me: publicProcedure.query(({ ctx }) => ctx.session.customer()),
});
