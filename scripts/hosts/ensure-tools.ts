import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { BenchConfigError } from "../bench/lib/bench-env";

/** Debian's packages the hosts need, installed as root when missing (as scripts/ensure-services.sh does its own). */
const TOOLS = [
  { program: "haproxy", debianPackage: "haproxy" },
  { program: "ip", debianPackage: "iproute2" },
];

function has(program: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${program}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Installs HAProxy and iproute2 with apt-get if they are missing (root on Debian), or says what to install. */
export function ensureHostTools(): void {
  const missing = TOOLS.filter((tool) => !has(tool.program));
  if (missing.length === 0) return;
  const packages = missing.map((tool) => tool.debianPackage);
  if (!fs.existsSync("/etc/debian_version") || !has("apt-get")) {
    throw new BenchConfigError(`Missing ${missing.map((tool) => tool.program).join(", ")}: install ${packages.join(" ")} and run again`);
  }
  console.log(`  installing ${packages.join(", ")} with apt-get…`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
  execFileSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...packages], { stdio: "inherit", env });
}
