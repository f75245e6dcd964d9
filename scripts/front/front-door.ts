import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { PAGE_CACHE_RULES, PAGE_CACHE_SECTION } from "./page-cache";

/**
 * The shop's front door: HAProxy, with its shared page cache (page-cache.ts), in front of the web server. `npm run
 * shop` and `bench:http` run it on one host (haproxy-one-host.cfg.template); `shop:hosts` in front of several
 * (scripts/hosts/haproxy-front.cfg.template).
 */

/** Fills the template in `file`: every {{KEY}} must have a value; the page cache's two are always given. */
export function fillTemplate(file: string, values: Record<string, string>): string {
  const all: Record<string, string> = { PAGE_CACHE_SECTION, PAGE_CACHE_RULES, ...values };
  return fs.readFileSync(file, "utf8").replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    const value = all[key];
    if (value === undefined) throw new Error(`${path.basename(file)}: nothing to fill in for {{${key}}}`);
    return value;
  });
}

/** The front door of one host: shoppers on `bind:frontPort`, the web server on 127.0.0.1:webPort. */
export function oneHostFrontConfig(options: { frontPort: number; webPort: number; bind?: string }): string {
  return fillTemplate(path.join(__dirname, "haproxy-one-host.cfg.template"), {
    BIND: options.bind ?? "0.0.0.0",
    FRONT_PORT: String(options.frontPort),
    WEB_PORT: String(options.webPort),
  });
}

/** Writes a configuration and has HAProxy check it (`haproxy -c`): a mistake is said before anything starts. */
export function writeConfig(file: string, text: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  try {
    execFileSync("haproxy", ["-c", "-q", "-f", file], { stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    throw new Error(`HAProxy refuses ${file}: ${String((error as { stderr?: Buffer }).stderr ?? error)}`);
  }
  return file;
}

/** `haproxy -db -f <file>`: in the foreground, so that it is one of the script's children and stops with it. */
export function haproxyArgs(file: string): string[] {
  return ["-db", "-f", file];
}
