import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { BenchConfigError } from "../bench/lib/bench-env";

/** A program Debian packages, installed as root when missing (as scripts/ensure-services.sh does its own). */
type Tool = { program: string; debianPackage: string };

const HAPROXY: Tool = { program: "haproxy", debianPackage: "haproxy" };
const IPROUTE2: Tool = { program: "ip", debianPackage: "iproute2" };

function has(program: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${program}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Installs the missing tools with apt-get (root on Debian), or says what to install. */
function ensureTools(tools: readonly Tool[]): void {
  const missing = tools.filter((tool) => !has(tool.program));
  if (missing.length === 0) return;
  const packages = missing.map((tool) => tool.debianPackage);
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !fs.existsSync("/etc/debian_version") || !has("apt-get")) {
    throw new BenchConfigError(`Missing ${missing.map((tool) => tool.program).join(", ")}: install ${packages.join(" ")} (as root: apt-get install -y ${packages.join(" ")}) and run again`);
  }
  console.log(`  installing ${packages.join(", ")} with apt-get…`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
  execFileSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...packages], { stdio: "inherit", env });
}

/** HAProxy and iproute2, for several hosts. */
export function ensureHostTools(): void {
  ensureTools([HAPROXY, IPROUTE2]);
}

/** HAProxy alone, for the front door of one host. */
export function ensureHaproxy(): void {
  ensureTools([HAPROXY]);
}
