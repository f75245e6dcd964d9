import { projectionLags } from "@/server/loyalty/projections/projection-checkpoints";
import { listCampaignRules, saveCampaignRule, setCampaignRuleEnabled } from "@/server/loyalty/rules/campaign-rule-store";
import { sqlPool } from "@/server/sql";
import { adminProcedure, router } from "../trpc";
import { createRuleInput, setRuleEnabledInput } from "./loyalty.schema";

/** Shop operators only: every procedure here refuses customers and anonymous callers. */
export const adminRouter = router({
  loyalty: router({
    rules: router({
      list: adminProcedure.query(() => listCampaignRules(sqlPool)),
      create: adminProcedure.input(createRuleInput).mutation(({ input }) => saveCampaignRule(sqlPool, input)),
      setEnabled: adminProcedure
        .input(setRuleEnabledInput)
        .mutation(({ input }) => setCampaignRuleEnabled(sqlPool, input.id, input.enabled)),
    }),
    projections: adminProcedure.query(() => projectionLags(sqlPool)),
  }),
});
