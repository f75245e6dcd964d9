import { authenticateCustomer } from "@/server/retail/customers/authenticate-customer";
import { findCustomer } from "@/server/retail/customers/find-customer";
import { signUpCustomer } from "@/server/retail/customers/sign-up-customer";
import { publicProcedure, router } from "../trpc";
import { signInInput, signUpInput } from "./auth.schema";

export const authRouter = router({
  /** Opens an account and signs it in. */
  signUp: publicProcedure.input(signUpInput).mutation(async ({ ctx, input }) => {
    const customer = await signUpCustomer(input);
    ctx.session.customerId = customer.id;
    await ctx.session.save();
    return customer;
  }),

  signIn: publicProcedure.input(signInInput).mutation(async ({ ctx, input }) => {
    const customer = await authenticateCustomer(input);
    ctx.session.customerId = customer.id;
    await ctx.session.save();
    return customer;
  }),

  signOut: publicProcedure.mutation(async ({ ctx }) => {
    await ctx.session.destroy();
    return { signedOut: true };
  }),

  /** The signed-in customer, or null for a visitor. */
  me: publicProcedure.query(({ ctx }) => {
    const customerId = ctx.session.customerId;
    return customerId ? findCustomer({ customerId }) : null;
  }),
});
