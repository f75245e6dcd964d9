import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, hashesOfInlineCode } from "./content-security-policy";
import { databaseAwayPagePolicy } from "./database-away-page";

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("base64");

describe("hashesOfInlineCode", () => {
  it("hashes each inline script and style by its exact text, and no script that is a file", () => {
    const html = [
      `<script src="/_next/static/chunks/a.js" async=""></script>`,
      `<script id="_R_">self.__next_r="x"</script>`,
      `<SCRIPT nonce="abc">(self.__next_f=self.__next_f||[]).push([0])</SCRIPT>`,
      `<style>body{color:red}</style>`,
      `<scripts>not a script</scripts>`,
      `<script>"é \\u003c/script>"</script>`,
    ].join("\n");
    expect(hashesOfInlineCode(html)).toEqual({
      scripts: [sha256(`self.__next_r="x"`), sha256("(self.__next_f=self.__next_f||[]).push([0])"), sha256(`"é \\u003c/script>"`)],
      styles: [sha256("body{color:red}")],
    });
  });

  it("names a script that appears twice once", () => {
    expect(hashesOfInlineCode("<script>1</script><script>1</script>").scripts).toEqual([sha256("1")]);
  });
});

describe("contentSecurityPolicy", () => {
  it("allows inline code only by nonce or hash, and style attributes", () => {
    const policy = contentSecurityPolicy({ https: false, nonce: "n0nce", hashes: { scripts: ["s1"], styles: ["t1"] } });
    expect(policy).toContain("script-src 'self' 'nonce-n0nce' 'sha256-s1'");
    expect(policy).toContain("style-src-elem 'self' 'nonce-n0nce' 'sha256-t1'");
    expect(policy).toContain("style-src-attr 'unsafe-inline'");
    expect(policy).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  });

  it("names no inline code when given none", () => {
    expect(contentSecurityPolicy({ https: false })).toContain("script-src 'self'; ");
  });

  it("names the 503 page's own style", () => {
    expect(databaseAwayPagePolicy(false)).toMatch(/style-src-elem 'self' 'sha256-[A-Za-z0-9+/=]{44}'/);
  });
});
