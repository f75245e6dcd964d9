import { parseArgs, type ParseArgsConfig } from "node:util";
import { BenchConfigError } from "./bench-env";
import { errorMessage } from "./report";

/** The command line of a bench: its own flags (strict) plus `--help`, which prints `help` and exits before anything runs. */
export function parseBenchArgs<const T extends OptionsConfig>(help: string, options: T) {
  const config = { options: { ...options, help: { type: "boolean", default: false } } as T & HelpOption, strict: true as const };
  const { values } = parseArgs(config);
  if ((values as { help?: boolean }).help) {
    console.log(help);
    process.exit(0);
  }
  return values;
}

type OptionsConfig = NonNullable<ParseArgsConfig["options"]>;
type HelpOption = { help: { type: "boolean"; default: false } };

/**
 * Runs a bench's main function and exits with its exit code (0, or 1 once an invariant broke), or with 1 and the reason
 * if it fails; a stack only for what is not a configuration error.
 */
export function runBench(title: string, main: () => Promise<void>): void {
  main().then(
    () => process.exit(process.exitCode ?? 0),
    (error: unknown) => {
      console.error(`\n✗ ${title} benchmark failed: ${errorMessage(error)}`);
      if (!(error instanceof BenchConfigError) && error instanceof Error && error.stack) console.error(error.stack);
      process.exit(1);
    },
  );
}
