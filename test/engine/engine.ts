// The real llama.cpp engine (../shared/cpu-endpoint) for the engine test project: building its GGUF
// variants, the engine's own per-prompt outputs (the quality ground truth, cached by file hash), and its
// OpenAI-compatible server in its own process on a free loopback port.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import { mkdir, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import { ROOT } from "../helpers/cli.js";

/** The endpoint's folder: GAUNTLET_CPU_ENDPOINT, else ../shared/cpu-endpoint beside the repository. */
export const ENDPOINT_DIR = path.resolve(
  process.env.GAUNTLET_CPU_ENDPOINT ?? path.join(ROOT, "../shared/cpu-endpoint"),
);
/** Git-ignored: the endpoint's install, its GGUF files and the cached ground truth live here. */
export const WORK_DIR = path.join(ROOT, ".engine");
const ENGINE_DIR = path.join(WORK_DIR, "cpu-endpoint");

export const VARIANTS = ["F16", "Q8_0", "Q4_K_M", "Q2_K"] as const;
export type Variant = (typeof VARIANTS)[number];

/** What the global setup hands every engine test file. */
export interface EngineInfo {
  /** The endpoint's install (server.mjs, eval.mjs, gguf/). */
  dir: string;
  /** The 2,000 held-out prompts: id, task, prompt, expected. */
  heldout: string;
  /** Per variant: the engine's own outputs on every held-out prompt (eval.mjs's predictions). */
  truth: Record<Variant, string>;
}

/** One line of eval.mjs's predictions. */
export interface Prediction {
  id: string;
  prompt: string;
  expected: string;
  output: string;
  correct: boolean;
}

export const ggufOf = (variant: Variant) => path.join(ENGINE_DIR, "gguf", `toy-${variant}.gguf`);

/** Runs a command to the end; rejects with its output when it fails. */
function exec(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(" ")} exited ${code}:\n${out}`)),
    );
  });
}

/**
 * Builds F16 and the quantized variants into .engine/ with the endpoint's own setup.sh (npm ci of the
 * pinned node-llama-cpp, llama.cpp's quantizer). Idempotent: a second run only checks.
 */
export async function buildVariants(): Promise<string> {
  const setup = path.join(ENDPOINT_DIR, "setup.sh");
  if (!existsSync(setup)) {
    throw new Error(
      `the engine tests need the llama.cpp CPU endpoint: no ${setup} (put ../shared/cpu-endpoint beside ` +
        "the repository or set GAUNTLET_CPU_ENDPOINT); `npm test` runs every test that does not",
    );
  }
  await mkdir(WORK_DIR, { recursive: true });
  const variants = VARIANTS.filter((v) => v !== "F16").join(" ");
  return exec("bash", [setup, ENGINE_DIR], { VARIANTS: variants });
}

async function sha256(files: string[]): Promise<string> {
  const hash = createHash("sha256");
  for (const file of files) {
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  }
  return hash.digest("hex");
}

/**
 * The engine's own outputs for a variant on every held-out prompt, from eval.mjs (greedy, 16 tokens,
 * 8 sequences). Cached in .engine/truth/ under the hash of everything that decides them (the GGUF
 * file, the evaluator and engine scripts, the prompts), so only a changed input is evaluated again.
 */
export async function groundTruth(variant: Variant): Promise<{ file: string; cached: boolean }> {
  const inputs = ["eval.mjs", "engine.mjs", "nlc_patches.mjs", "package-lock.json", "model/heldout.jsonl"];
  const key = await sha256([ggufOf(variant), ...inputs.map((f) => path.join(ENGINE_DIR, f))]);
  const dir = path.join(WORK_DIR, "truth");
  const file = path.join(dir, `${variant}-${key.slice(0, 16)}.jsonl`);
  if (existsSync(file)) return { file, cached: true };
  await mkdir(dir, { recursive: true });
  const tmp = `${file}.tmp`;
  await rm(tmp, { force: true });
  await exec(process.execPath, [path.join(ENGINE_DIR, "eval.mjs"), ggufOf(variant), "--out", tmp]);
  await rename(tmp, file);
  return { file, cached: false };
}

export const readJsonl = async <T>(file: string): Promise<T[]> =>
  (await readFile(file, "utf8"))
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as T);

/** A variant's predictions by prompt id. */
export async function readPredictions(file: string): Promise<Map<string, Prediction>> {
  return new Map((await readJsonl<Prediction>(file)).map((p) => [p.id, p]));
}

/** One line of the server's truth log (--truth): per request id, its epoch-µs write times. */
export interface TruthLine {
  id: string;
  status: "ok" | "cancelled" | "error" | "rejected";
  http_status: number;
  finish_reason: string | null;
  received_us: number;
  started_us: number | null;
  first_token_us: number | null;
  last_token_us: number | null;
  finished_us: number;
  prompt_tokens: number;
  output_tokens: number;
}

export interface EngineServer {
  /** The OpenAI base URL, e.g. http://127.0.0.1:40123/v1 */
  baseUrl: string;
  /** The model name the server answers to. */
  model: string;
  stop(): Promise<void>;
}

/**
 * Starts the endpoint's server.mjs for a variant on a free 127.0.0.1 port (one llama.cpp thread, as
 * its README asks on 2 cores) and resolves once it listens.
 */
export function startEngineServer(
  dir: string,
  variant: Variant,
  options: { truth?: string; apiKey?: string; modelName?: string; ctxPerSeq?: number } = {},
): Promise<EngineServer> {
  const args = [path.join(dir, "server.mjs"), "--model", ggufOf(variant), "--port", "0", "--threads", "1"];
  if (options.truth) args.push("--truth", options.truth);
  if (options.apiKey) args.push("--api-key", options.apiKey);
  if (options.modelName) args.push("--model-name", options.modelName);
  if (options.ctxPerSeq) args.push("--ctx-per-seq", String(options.ctxPerSeq));
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return new Promise((resolve, reject) => {
    child.once("exit", (code) =>
      reject(new Error(`server.mjs (${variant}) exited early (${code}): ${stderr}`)),
    );
    createInterface({ input: child.stdout }).once("line", (line) => {
      const info = JSON.parse(line) as { listening?: string; model_name?: string };
      if (!info.listening || !info.model_name) return reject(new Error(`unexpected server output: ${line}`));
      resolve({
        baseUrl: `${info.listening}/v1`,
        model: info.model_name,
        stop: async () => {
          child.kill("SIGTERM");
          await exited;
        },
      });
    });
  });
}
