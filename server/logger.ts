import pino from "pino";
import { env } from "@/server/env";

/** Structured logs (JSON lines) for every process: web, workers and scripts. */
export const logger = pino({ level: env.LOG_LEVEL, base: { pid: process.pid } });
