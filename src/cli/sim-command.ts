import { readFile } from "node:fs/promises";
import { parse as parseYaml } from "yaml";
import { UsageError } from "../errors.js";
import { BUILTIN_PROFILES, SimProfileSchema, type SimProfileInput } from "../sim/profile.js";
import { startSimServer } from "../sim/server.js";
import { createTruthFile } from "../sim/truth-log.js";

export interface SimCommandOptions {
  port: string;
  host: string;
  profile: string;
  config?: string;
  ttftMs?: string;
  itlMs?: string;
  tailMs?: string;
  outputTokens?: string;
  maxBatch?: string;
  jitter?: string;
  seed?: string;
  degrade?: string;
  truth?: string;
}

const num = (flag: string, v: string | undefined) => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new UsageError(`${flag} expects a number, got ${v}`);
  return n;
};

/** `gauntlet sim`: serves until SIGINT/SIGTERM, printing its URL first so scripts can read it. */
export async function simCommand(opts: SimCommandOptions): Promise<number> {
  const base = BUILTIN_PROFILES[opts.profile];
  if (!base)
    throw new UsageError(
      `unknown profile "${opts.profile}" (profiles: ${Object.keys(BUILTIN_PROFILES).join(", ")})`,
    );
  const fromFile: SimProfileInput = opts.config
    ? (parseYaml(await readFile(opts.config, "utf8")) as SimProfileInput)
    : {};
  const flags: Record<string, number | undefined> = {
    ttft_ms: num("--ttft-ms", opts.ttftMs),
    itl_ms: num("--itl-ms", opts.itlMs),
    tail_ms: num("--tail-ms", opts.tailMs),
    output_tokens: num("--output-tokens", opts.outputTokens),
    max_batch: num("--max-batch", opts.maxBatch),
    jitter: num("--jitter", opts.jitter),
    seed: num("--seed", opts.seed),
    degrade: num("--degrade", opts.degrade),
  };
  const merged = {
    ...base,
    ...fromFile,
    ...Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined)),
  };
  const parsed = SimProfileSchema.safeParse(merged);
  if (!parsed.success) {
    throw new UsageError(
      `invalid simulator profile: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  }
  const port = num("--port", opts.port)!;
  const truth = opts.truth ? createTruthFile(opts.truth) : undefined;
  const server = await startSimServer(parsed.data, {
    host: opts.host,
    port,
    ...(truth ? { truth: truth.sink } : {}),
  });
  process.stdout.write(`gauntlet sim listening on ${server.url}\n`);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await server.close();
  await truth?.close();
  return 0;
}
