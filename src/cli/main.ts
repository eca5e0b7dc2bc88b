import { Command, CommanderError, Option } from "commander";
import { loadSuite } from "../config/load-suite.js";
import { buildPlan } from "../config/plan.js";
import { suiteJsonSchema } from "../config/schema.js";
import { ExitCode, GauntletError } from "../errors.js";
import { renderPlan } from "../report/plan-text.js";
import { TOOL_VERSION } from "../version.js";
import type { RunCommandOptions } from "./run-options.js";
import type { SimCommandOptions } from "./sim-command.js";
import type { CompareCommandOptions } from "./compare-command.js";
import type { ProbeCommandOptions } from "./probe-command.js";
import type { MergeCommandOptions } from "./merge-command.js";
import { initCommand } from "./init-command.js";
import { printWarnings, suiteEnv } from "./io.js";

const collect = (value: string, previous: string[] = []) => [...previous, value];

// Heavy commands (undici, ink, the tokenizer, HDR histograms) load only when they run, so
// `validate`, `schema` and `--help` start in a fraction of the time.
const load = {
  run: () => import("./run-command.js"),
  sim: () => import("./sim-command.js"),
  merge: () => import("./merge-command.js"),
  compare: () => import("./compare-command.js"),
  probe: () => import("./probe-command.js"),
  report: () => import("./report-command.js"),
};

/** Builds the CLI. Each action stores its exit code; nothing here calls process.exit. */
export function createProgram(setCode: (code: number) => void): Command {
  const program = new Command()
    .name("gauntlet")
    .description(
      "Put an LLM deployment through its paces: quality, latency, comparison and a CI gate in one suite.",
    )
    .version(TOOL_VERSION)
    .showHelpAfterError()
    .exitOverride();

  program
    .command("run")
    .description(
      "run a suite: quality, load, thresholds; reports in --out (run.json, requests.ndjson, cases.csv, junit.xml, summary.md, review.jsonl, report.html); exit 0, 99 (threshold failed), 2, 3 or 130",
    )
    .argument("<suite>", "suite YAML file")
    .option("--target <name>", "run only this target (repeatable)", collect)
    .option(
      "--var <name=value>",
      "set a ${NAME} the suite interpolates, over the environment (repeatable)",
      collect,
    )
    .option("--out <dir>", "report folder (default runs/<timestamp>)")
    .option(
      "--quality-concurrency <n>",
      "quality requests in flight per target (overrides quality.concurrency)",
    )
    .option("--concurrency <n>", "old name of --quality-concurrency (prints a note; for load users: --users)")
    .option("--users <n>", "users of every closed-loop load phase (overrides its concurrency)")
    .option("--rate <r>", "requests per second of every open-loop load phase (overrides its rate)")
    .option(
      "--duration <d>",
      "duration of every closed- and open-loop load phase, e.g. 30s (a phase's requests may end it sooner)",
    )
    .option("--only <part>", "run only quality or only load")
    .option(
      "--baseline <run.json>",
      "compare with a saved run: fail (99) when a pass-rate drop is shown; print latency ratios",
    )
    .option(
      "--pair-by <how>",
      "how cases pair with --baseline's: case (by id alone: a prompt A/B across runs) or prompt (by id and prompt; a changed prompt leaves the case out). Without it a changed prompt is an error (exit 2) before anything is sent",
    )
    .option("--seed <n>", "seed for case order and arrival schedules (overrides the suite's)")
    .option(
      "--cache [force]",
      "answer quality calls already made from .gauntlet-cache/ (local iteration; off by default, never read under CI=true unless --cache=force)",
    )
    .option("--no-cache", "send every quality call, even when the suite sets quality.cache")
    .option(
      "--shard <i/n>",
      "run this shard's exact share of every phase (merge the runs with `gauntlet merge`)",
    )
    .option(
      "--heartbeat <d>",
      "how often plain progress lines (CI, pipes) report a running phase, finished or not (default 5s)",
    )
    .option(
      "--otlp <url>",
      "send one span per request to an OpenTelemetry OTLP/HTTP endpoint, e.g. http://localhost:4318 (over the suite's export.otlp.url)",
    )
    .option("--quiet", "print nothing but errors")
    .option("--json", "print a JSON summary on stdout instead of the table")
    .action(async (suite: string, opts: RunCommandOptions) =>
      setCode(await (await load.run()).runCommand(suite, opts)),
    );

  program
    .command("validate")
    .description("check a suite and print the resolved plan; sends nothing; exit 2 when invalid")
    .argument("<suite>", "suite YAML file")
    .option(
      "--var <name=value>",
      "set a ${NAME} the suite interpolates, over the environment (repeatable)",
      collect,
    )
    .action(async (suite: string, opts: { var?: string[] }) => {
      const plan = await buildPlan(await loadSuite(suite, suiteEnv(opts.var, process.env)));
      printWarnings(plan.warnings, process.stderr);
      process.stdout.write(renderPlan(plan) + "\n");
      setCode(ExitCode.ok);
    });

  program
    .command("probe")
    .description(
      "ask each target what it supports: streaming, usage in stream, logprobs and top-k, max context; exit 3 when a target is unreachable or refuses every request",
    )
    .argument("<suite>", "suite YAML file")
    .option("--target <name>", "probe only this target (repeatable)", collect)
    .option(
      "--var <name=value>",
      "set a ${NAME} the suite interpolates, over the environment (repeatable)",
      collect,
    )
    .option("--json", "print JSON")
    .action(async (suite: string, opts: ProbeCommandOptions) =>
      setCode(await (await load.probe()).probeCommand(suite, opts)),
    );

  program
    .command("init")
    .description("write a commented starter suite (runs as written against the simulator)")
    .argument("[file]", "where to write it", "gauntlet.yaml")
    .action(async (file: string) => setCode(await initCommand(file)));

  program
    .command("merge")
    .description(
      "merge run.json files made with --shard i/n into one: histograms exactly, rates summed from each shard's own window (warns when the windows overlap under 80%); exit 99 if a threshold fails",
    )
    .argument("<runs...>", "run.json files")
    .option("--out <dir>", "folder for the merged run.json (default runs/<timestamp>)")
    .option(
      "--baseline <run.json>",
      "compare the merged run with a saved run, as run --baseline does (the shards' own comparisons are not carried)",
    )
    .option("--pair-by <how>", "how cases pair with --baseline's: case or prompt, as for run")
    .action(async (files: string[], opts: MergeCommandOptions) =>
      setCode(await (await load.merge()).mergeCommand(files, opts)),
    );

  program
    .command("compare")
    .description(
      "compare two saved runs case by case (paired; the delta's interval decides) and apply their compare.* thresholds; exit 0, 99 (a threshold failed) or 2",
    )
    .argument("<old>", "baseline run.json")
    .argument("<new>", "candidate run.json")
    .option("--baseline-target <name>", "target in OLD to compare (default: every target in both runs)")
    .option("--candidate-target <name>", "target in NEW to compare (default: the baseline target's name)")
    .option(
      "--alpha <a>",
      "1 - the intervals' level, and the gates' family-wise level (default: NEW's compare alpha, else 0.05)",
    )
    .option(
      "--max-drop <pp>",
      "when NEW has no compare.pass_rate_delta threshold: fail only when the interval shows a drop of more than this",
      "0pp",
    )
    .option(
      "--pair-by <how>",
      "case: pair by case id alone (a prompt A/B across runs); prompt: by id and prompt, leaving changed prompts out. Without it a changed prompt is an error",
    )
    .option("--json", "print the comparisons and verdicts as JSON")
    .action(async (oldRun: string, newRun: string, opts: CompareCommandOptions) =>
      setCode(await (await load.compare()).compareCommand(oldRun, newRun, opts)),
    );

  program
    .command("report")
    .description(
      "re-render a saved run.json as Markdown, self-contained HTML, JUnit XML, cases CSV, JSON or the review queue",
    )
    .argument("<run>", "run.json file")
    .option("--format <format>", "md, html, junit, csv, json or review", "md")
    .option("--out <file>", "write to this file instead of stdout")
    .action(async (run: string, opts: { format?: string; out?: string }) =>
      setCode(await (await load.report()).reportCommand(run, opts)),
    );

  program
    .command("schema")
    .description("print the suite's JSON Schema (for `# yaml-language-server: $schema=...`)")
    .action(() => {
      process.stdout.write(JSON.stringify(suiteJsonSchema(), null, 2) + "\n");
      setCode(ExitCode.ok);
    });

  program
    .command("sim")
    .description("start the built-in simulated endpoint (OpenAI-compatible) until Ctrl-C")
    .option("--port <n>", "port (0 = any free port)", "8000")
    .option("--host <host>", "interface to bind", "127.0.0.1")
    .addOption(new Option("--profile <name>", "built-in profile").default("default"))
    .option("--config <file>", "YAML/JSON profile file (ttft_ms, itl_ms, answers, degrade, ...)")
    .option("--ttft-ms <ms>", "time to first token after admission")
    .option("--itl-ms <ms>", "time between tokens")
    .option("--tail-ms <ms>", "delay before the finish/usage/[DONE] chunks")
    .option("--output-tokens <n>", "tokens per answer when no canned answer applies")
    .option("--max-batch <n>", "requests generating at once; the rest queue")
    .option("--jitter <fraction>", "relative random variation of ttft and itl")
    .option("--seed <n>", "seed for jitter and degradation")
    .option("--degrade <fraction>", "fraction of canned answers perturbed")
    .option("--truth <file>", "write the ground-truth log (one JSON line per request)")
    .action(async (opts: SimCommandOptions) => setCode(await (await load.sim()).simCommand(opts)));

  return program;
}

/** Entry point: parses argv, runs the command, maps errors to exit codes. Returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  let code: number = ExitCode.ok;
  const program = createProgram((c) => (code = c));
  try {
    await program.parseAsync(argv);
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? ExitCode.ok : ExitCode.invalid;
    }
    if (err instanceof GauntletError) {
      process.stderr.write(`gauntlet: ${err.message}\n${err.hint ? `hint: ${err.hint}\n` : ""}`);
      return err.exitCode;
    }
    process.stderr.write(
      `gauntlet: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    return ExitCode.incomplete;
  }
}
