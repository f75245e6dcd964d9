import { describe, expect, it } from "vitest";
import { joinSql, sql, together } from "./sql-query";

describe("the sql tag", () => {
  it("makes every interpolated value a numbered parameter, never text", () => {
    const query = sql`SELECT id FROM customers WHERE email = ${"ada@unicorn.test'; DROP TABLE customers; --"} AND role = ${"admin"}`;

    expect(query.text).toBe("SELECT id FROM customers WHERE email = $1 AND role = $2");
    expect(query.values).toEqual(["ada@unicorn.test'; DROP TABLE customers; --", "admin"]);
  });

  it("splices a fragment in with its parameters renumbered after those before it", () => {
    const condition = sql`s.status = ${"running"} AND s.created_at < ${"2026-12-01"}`;
    const query = sql`SELECT * FROM saga_instances s WHERE s.saga_type = ${"checkout"} AND ${condition} LIMIT ${26}`;

    expect(query.text).toBe("SELECT * FROM saga_instances s WHERE s.saga_type = $1 AND s.status = $2 AND s.created_at < $3 LIMIT $4");
    expect(query.values).toEqual(["checkout", "running", "2026-12-01", 26]);
  });

  it("treats an object that merely looks like a query as a value", () => {
    const lookalike = { text: "1 = 1", values: [] };

    expect(sql`SELECT ${lookalike}::jsonb`).toMatchObject({ text: "SELECT $1::jsonb", values: [lookalike] });
  });
});

describe("joinSql", () => {
  it("joins fragments with the separator, numbering their parameters in order", () => {
    const joined = joinSql([sql`a = ${1}`, sql`b = ${2}`, sql`c IN (${3}, ${4})`], " AND ");

    expect(joined.text).toBe("a = $1 AND b = $2 AND c IN ($3, $4)");
    expect(joined.values).toEqual([1, 2, 3, 4]);
  });

  it("gives the empty fragment (or the one asked for) when there is nothing to join", () => {
    expect(joinSql([], " AND ").text).toBe("");
    expect(joinSql([], " AND ", sql`TRUE`).text).toBe("TRUE");
  });
});

describe("together", () => {
  it("writes the first statement as a data-modifying WITH of the second, parameters in order", () => {
    const query = together(sql`INSERT INTO a (x) VALUES (${"x"})`, sql`INSERT INTO b (y, z) VALUES (${"y"}, ${"z"})`);

    expect(query.text).toBe("WITH first_write AS (INSERT INTO a (x) VALUES ($1))\nINSERT INTO b (y, z) VALUES ($2, $3)");
    expect(query.values).toEqual(["x", "y", "z"]);
  });
});
