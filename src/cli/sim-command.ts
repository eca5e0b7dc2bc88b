import path from "node:path";
import { parse as parseYaml, YAMLParseError } from "yaml";
import { unknownFieldMessage } from "../config/did-you-mean.js";
import { readInputText } from "../config/input-file.js";
import { fieldsAt } from "../config/known-fields.js";
import { LIMITS } from "../config/limits.js";
import { readDatasetAnswers } from "../config/sim-answers.js";
import { ConfigError, UsageError } from "../errors.js";
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
  const fromFile = opts.config ? await readProfileFile(opts.config) : {};
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
    // An unknown field names the one most likely meant, as in a suite (`ttftMs` → `ttft_ms`).
    const problems = parsed.error.issues.flatMap((i) =>
      i.code === "unrecognized_keys"
        ? i.keys.map((key) =>
            unknownFieldMessage(key, fieldsAt(SimProfileSchema, i.path as Array<string | number>)),
          )
        : [`${i.path.join(".")}: ${i.message}`],
    );
    throw new UsageError(
      `invalid simulator profile${opts.config ? ` ${opts.config}` : ""}: ${problems.join("; ")}`,
    );
  }
  let profile = parsed.data;
  const from = profile.answers_from;
  if (from && opts.config) {
    // As in a suite: the dataset's path is relative to the file that names it, its answers after `answers`.
    const file = path.resolve(path.dirname(opts.config), from.file);
    const { answers, issues, missingColumn } = await readDatasetAnswers(file, from);
    if (issues.length > 0) throw new ConfigError(issues);
    if (missingColumn !== undefined)
      throw new UsageError(`${opts.config}: answers_from: column "${missingColumn}" is not in ${from.file}`);
    profile = { ...profile, answers: [...profile.answers, ...answers] };
  }
  const port = num("--port", opts.port);
  if (port === undefined || !Number.isInteger(port) || port < 0 || port > 65_535)
    throw new UsageError(`--port expects a port from 0 to 65535, got ${opts.port}`);
  const truth = opts.truth ? createTruthFile(opts.truth) : undefined;
  const server = await startSimServer(profile, {
    host: opts.host,
    port,
    ...(truth ? { truth: truth.sink } : {}),
  }).catch((err: unknown) => {
    throw listenError(err, opts.host, port) ?? err;
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

/** The profile file: YAML or JSON read as text a suite would be (a missing file is exit 2, not a stack). */
async function readProfileFile(file: string): Promise<SimProfileInput> {
  const text = await readInputText(file, { what: "simulator profile", maxBytes: LIMITS.suiteBytes.max });
  try {
    return (parseYaml(text) ?? {}) as SimProfileInput;
  } catch (err) {
    if (!(err instanceof YAMLParseError)) throw err;
    const at = err.linePos?.[0];
    throw new UsageError(
      `${file}${at ? `:${at.line}:${at.col}` : ""}: YAML syntax: ${err.message.split("\n")[0]}`,
    );
  }
}

/** A port that cannot be listened on, in words; undefined for any other failure. */
function listenError(err: unknown, host: string, port: number): UsageError | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === "EADDRINUSE")
    return new UsageError(
      `port ${port} on ${host} is already in use`,
      "stop what listens there, choose another --port, or --port 0 for any free port",
    );
  if (code === "EACCES")
    return new UsageError(
      `not allowed to listen on port ${port} on ${host}`,
      "ports below 1024 need privileges: choose a higher --port",
    );
  if (code === "EADDRNOTAVAIL")
    return new UsageError(`${host} is not an address of this machine`, "use --host 127.0.0.1 or 0.0.0.0");
  return undefined;
}
