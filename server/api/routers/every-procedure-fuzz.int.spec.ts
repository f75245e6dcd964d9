import http from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import superjson, { type SuperJSONValue } from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "@/server/api/root";
import { db, disconnectDb } from "@/server/db";
import { env } from "@/server/env";
import { shopRequestListener } from "@/server/http/shop-server";
import { TRPC_PREFIX } from "@/server/http/trpc-over-node";
import { closeProducerConnection } from "@/server/queues/connections";
import { closeQueues } from "@/server/queues/define-queue";
import { MAX_WALLET_BALANCE_CENTS } from "@/server/retail/wallet/wallet-limits";
import { startAcceptedCheckout } from "@/server/testing/checkout-flow";
import { createTestProduct, signUpStaffMember, signUpTestCustomer, TEST_PASSWORD, truncateShop } from "@/server/testing/database";
import { fuzzInput, schemaHints } from "@/server/testing/fuzz-inputs";

/**
 * Every procedure of the app router — enumerated from the router itself, so a new one is fuzzed without a change here
 * — is sent generated inputs over real HTTP (the shop's own tRPC door, trpc-over-node.ts), as a visitor, a customer
 * and an admin: wrong types, huge and tiny numbers, NUL and lone surrogates, extreme dates, deep and huge values, and
 * now and then a superjson envelope whose type annotations lie. None may answer 5xx, and none may change the shop:
 * a checksum of every table (but the sessions a request may touch) is the same after each call as before, except
 * after a mutation that accepted its input, which then did its job. Mutations without input (sign out, rebuild the
 * projections) take nothing to fuzz and are left out.
 *
 * The shop is arranged so that a generated input that happens to be valid still changes nothing: the wallets are full
 * (a top-up is refused), the only unicorn is limited to 1 per customer and both shoppers already hold theirs, nobody
 * has points, no saga needs an operator, and there is no Classic Unicorn for the flash-sale simulator to sell.
 */

// Spread over the procedures (400 each for the 42 of today): 38 s on the 2-core development machine.
const TOTAL_RUNS = Number(process.env.FUZZ_RUNS ?? 16_800);
/** Tables a harmless request may write: a sign-in's session. */
const UNWATCHED_TABLES = new Set(["_prisma_migrations", "customer_sessions"]);

type Kind = "query" | "mutation" | "subscription";
type Fuzzed = { path: string; kind: Kind; inputs: unknown[] };

// At run time the router keeps its procedures flat, by dotted path ("admin.loyalty.rules.create"); typed as nested.
const procedures: Fuzzed[] = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: Kind; inputs: unknown[] } }>)
  .map(([path, procedure]) => ({ path, kind: procedure._def.type, inputs: procedure._def.inputs }))
  .filter((procedure) => !(procedure.kind === "mutation" && procedure.inputs.length === 0))
  .sort((a, b) => a.path.localeCompare(b.path));

let origin = "";
const cookies: Record<"visitor" | "customer" | "admin", string | undefined> = { visitor: undefined, customer: undefined, admin: undefined };
// The web server's whole door (front-door.ts: CSRF, body limit, headers), with no pages behind it: only the API is fuzzed.
const server = http.createServer(
  shopRequestListener({
    appUrl: env.APP_URL,
    bodyLimitBytes: env.REQUEST_BODY_LIMIT_BYTES,
    renderWithNext: async (_req, res) => {
      res.writeHead(404).end();
    },
  }),
);
const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
let baseline = "";
const accepted: Record<string, number> = {};
const timings = { sendMs: 0, checksumMs: 0, checksums: 0 };

beforeAll(async () => {
  await truncateShop();
  await createTestProduct({ slug: "fuzz-unicorn", onHand: 3, maxPerCustomer: 1 });
  const customer = await signUpTestCustomer({ name: "Fuzzing Customer" });
  const admin = await signUpStaffMember("admin");
  for (const member of [customer, admin]) {
    await db.wallet.update({ where: { customerId: member.profile.id }, data: { balanceCents: MAX_WALLET_BALANCE_CENTS } });
    // Each holds their one unicorn (no worker runs here: the checkout stays where the start left it).
    await startAcceptedCheckout(member.client, { productSlug: "fuzz-unicorn" });
  }
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  cookies.customer = await signInOverHttp(customer.email);
  cookies.admin = await signInOverHttp(admin.email);
  baseline = await checksum();
});

afterAll(async () => {
  agent.destroy();
  await new Promise((resolve) => server.close(resolve));
  console.log(`fuzz: ${procedures.length} procedures; mutations that accepted a generated input: ${JSON.stringify(accepted)}; ${JSON.stringify(timings)}`);
  await closeQueues();
  await closeProducerConnection();
  await disconnectDb();
});

async function signInOverHttp(email: string): Promise<string> {
  const answer = await send({ method: "POST", path: "auth.signIn", body: JSON.stringify(superjson.serialize({ email, password: TEST_PASSWORD })) });
  expect(answer.status, answer.text).toBe(200);
  const cookie = answer.setCookie.find((line) => line.startsWith("unicorn_session="));
  if (!cookie) throw new Error("auth.signIn set no session cookie");
  return cookie.split(";")[0]!;
}

async function checksum(): Promise<string> {
  const started = performance.now();
  try {
    return await tableHashes();
  } finally {
    timings.checksumMs += performance.now() - started;
    timings.checksums += 1;
  }
}

/** Every watched table's rows, hashed: one statement, one hash per table so that a difference names its table. */
let checksumQuery: string | undefined;
async function tableHashes(): Promise<string> {
  if (!checksumQuery) {
    const tables = (await db.$queryRaw<{ tablename: string }[]>`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`)
      .map((row) => row.tablename)
      .filter((table) => !UNWATCHED_TABLES.has(table));
    checksumQuery = tables
      .map((table) => {
        const quoted = `"${table.replaceAll('"', '""')}"`;
        return `SELECT '${table.replaceAll("'", "''")}' AS t, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM ${quoted} x`;
      })
      .join(" UNION ALL ");
  }
  const rows = await db.$queryRawUnsafe<{ t: string; h: string }[]>(checksumQuery);
  return rows.map((row) => `${row.t}=${row.h}`).join("\n");
}

function changedTables(before: string, after: string): string[] {
  const was = new Set(before.split("\n"));
  return after.split("\n").filter((line) => !was.has(line)).map((line) => line.split("=")[0]!);
}

type Sent = { method: "GET" | "POST"; path: string; search?: string; body?: string; cookie?: string; stream?: boolean };
type Answer = { status: number; text: string; setCookie: string[] };

/** One request over HTTP. A stream (subscription) is read for its first event or 300 ms, then closed. */
function send(request: Sent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: http.OutgoingHttpHeaders = {};
    if (request.body !== undefined) headers["content-type"] = "application/json";
    if (request.cookie) headers.cookie = request.cookie;
    // A mutation comes as the shop's own page sends it, from the shop's origin (a foreign one is refused at the door).
    if (request.method === "POST") headers.origin = new URL(env.APP_URL).origin;
    const req = http.request(
      `${origin}${TRPC_PREFIX}${request.path}${request.search ? `?${request.search}` : ""}`,
      { method: request.method, headers, agent: request.stream ? false : agent },
      (res) => {
        const chunks: Buffer[] = [];
        const finish = () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8"), setCookie: res.headers["set-cookie"] ?? [] });
          if (request.stream) req.destroy();
        };
        const timer = request.stream ? setTimeout(finish, 300) : undefined;
        res.on("data", (chunk: Buffer) => {
          chunks.push(chunk);
          if (request.stream && /\n\n/.test(Buffer.concat(chunks).toString("utf8"))) finish();
        });
        res.on("end", finish);
        res.on("error", finish);
      },
    );
    req.on("error", reject);
    req.end(request.body);
  });
}

/** Now and then a body superjson did not write: an envelope whose annotations lie, or JSON nested deeper than it goes. */
const rawBody = fc.oneof(
  fc
    .record({
      json: fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.dictionary(fc.string({ maxLength: 4 }), fc.string())),
      meta: fc.record({
        values: fc.oneof(
          fc.constantFrom(["Date"], ["bigint"], ["set"], ["map"], ["regexp"], ["number"], ["undefined"], ["Error"], [["class", "Nope"]], [["symbol", "s"]], [["custom", "c"]], ["nonsense"]),
          fc.dictionary(fc.string({ maxLength: 6 }), fc.constantFrom(["Date"], ["bigint"], ["map"], [["class", "X"]])),
          fc.anything(),
        ),
      }),
    })
    .map((envelope) => JSON.stringify(envelope)),
  fc.integer({ min: 1_000, max: 20_000 }).map((depth) => `{"json":${"[".repeat(depth)}${"]".repeat(depth)}}`),
  fc.integer({ min: 1_000, max: 5_000 }).map((depth) => `{"json":${'{"filter":'.repeat(depth)}{}${"}".repeat(depth)}}`),
);

function wireBody(input: unknown, raw: string | undefined): string {
  return raw ?? JSON.stringify(superjson.serialize(input as SuperJSONValue));
}

function describeInput(input: unknown): string {
  let text: string;
  try {
    text = fc.stringify(input);
  } catch {
    text = "(a value too deep to print)";
  }
  return text.length > 300 ? `${text.slice(0, 300)}… (${text.length} characters)` : text;
}

/** Fails the property with what was sent and answered: a 5xx, or a 5xx carried by a stream's event. */
function expectNoServerError(answer: Answer, sent: () => string): void {
  if (answer.status >= 200 && answer.status < 500 && !/"httpStatus":5\d\d/.test(answer.text)) return;
  throw new Error(`${sent()}: HTTP ${answer.status} ${answer.text.slice(0, 500)}`);
}

/** A refusal before the procedure ran: its input's shape (zod, tRPC's parser, the size), or who is asking. */
function refusedBeforeRunning(answer: Answer): boolean {
  return [400, 401, 403, 413, 415, 431].includes(answer.status);
}

type Caller = keyof typeof cookies;

async function call(procedure: Fuzzed, input: unknown, who: Caller, raw: string | undefined): Promise<Answer> {
  const body = wireBody(input, raw);
  const started = performance.now();
  try {
    return procedure.kind === "mutation"
      ? await send({ method: "POST", path: procedure.path, body, cookie: cookies[who] })
      : await send({ method: "GET", path: procedure.path, search: `input=${encodeURIComponent(body)}`, cookie: cookies[who], stream: procedure.kind === "subscription" });
  } finally {
    timings.sendMs += performance.now() - started;
  }
}

describe("every procedure, fed generated inputs over HTTP", () => {
  it("finds procedures to fuzz in the router, of every kind", () => {
    expect(procedures.length).toBeGreaterThan(30);
    expect(new Set(procedures.map((procedure) => procedure.kind))).toEqual(new Set(["query", "mutation", "subscription"]));
  });

  const runsEach = Math.ceil(TOTAL_RUNS / procedures.length);
  for (const procedure of procedures) {
    it(`${procedure.kind} ${procedure.path}: no 5xx and no change to the shop (${runsEach} inputs)`, { timeout: 120_000 }, async () => {
      const sample = fc.tuple(
        fuzzInput(schemaHints(procedure.inputs), procedure.inputs),
        // Mostly signed in: a visitor is turned away from most procedures before they read their input.
        fc.oneof(fc.constant<Caller>("visitor"), fc.constant<Caller>("customer"), fc.constant<Caller>("admin"), fc.constant<Caller>("admin")),
        fc.oneof({ weight: 14, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: rawBody }),
      );
      const describeSample = ([input, who, raw]: [unknown, Caller, string | undefined]) =>
        `${who} sent ${raw === undefined ? describeInput(input) : describeInput(raw)}`;
      if (procedure.kind === "mutation") {
        // One at a time, each refusal that ran the procedure followed by a checksum, so a change is pinned on its input.
        await fc.assert(
          fc.asyncProperty(sample, async (drawn) => {
            const answer = await call(procedure, ...drawn);
            expectNoServerError(answer, () => describeSample(drawn));
            if (refusedBeforeRunning(answer)) return;
            const after = await checksum();
            if (answer.status < 300) {
              accepted[procedure.path] = (accepted[procedure.path] ?? 0) + 1;
              baseline = after;
              return;
            }
            expect(changedTables(baseline, after), `a refused mutation changed the shop: ${describeSample(drawn)}`).toEqual([]);
          }),
          { numRuns: runsEach },
        );
      } else {
        // Reads change nothing whatever they are sent: eight at a time, and one checksum after them all.
        const inFlight = 8;
        await fc.assert(
          fc.asyncProperty(fc.array(sample, { minLength: inFlight, maxLength: inFlight }), async (drawn) => {
            const answers = await Promise.all(drawn.map((one) => call(procedure, ...one)));
            answers.forEach((answer, index) => expectNoServerError(answer, () => describeSample(drawn[index]!)));
          }),
          { numRuns: Math.ceil(runsEach / inFlight) },
        );
      }
      const after = await checksum();
      expect(changedTables(baseline, after), `${procedure.path} changed the shop`).toEqual([]);
    });
  }
});
