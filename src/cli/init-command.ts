import { writeFile } from "node:fs/promises";
import path from "node:path";
import { ExitCode, UsageError, type ExitCodeValue } from "../errors.js";

/** A commented starter suite: runs as written against the simulator, with a real target sketched. */
export const STARTER_SUITE = `# Editor completion: run \`npx gauntlet schema > suite.schema.json\` once; the next line points at it.
# yaml-language-server: $schema=suite.schema.json
# A Gauntlet suite. Run it:   npx gauntlet run gauntlet.yaml
# Check it without sending:   npx gauntlet validate gauntlet.yaml
version: 1
name: my-first-suite

targets:
  # The built-in simulated endpoint: no key, no GPU. Replace it with your server, e.g.
  #   prod:
  #     provider: openai-chat          # vLLM, SGLang, llama.cpp, TGI messages, Ollama /v1, OpenAI
  #     base_url: http://localhost:8000/v1
  #     model: meta-llama/Llama-3.1-8B-Instruct
  #     api_key: \${OPENAI_API_KEY:-none}
  local-sim:
    provider: sim
    params: { temperature: 0, max_tokens: 32 }
    sim:
      ttft_ms: 50
      itl_ms: 10
      answers:
        - { match: "capital of France", reply: "Paris" }

prompts:
  ask:
    version: 1
    system: "Answer in one word."
    user: "{{question}}"

cases:
  - id: capital
    prompt: ask
    vars: { question: "What is the capital of France?" }
    assert: [{ equals: Paris, case: insensitive }]

load:
  - { name: steady, concurrency: 4, duration: 5s, warmup: 1s }

thresholds:
  quality.pass_rate: ">= 0.95"
  "ttft.p95{phase:steady}": "< 500ms"
  error_rate: "< 1%"
`;

/** `gauntlet init [FILE]`: writes the starter suite; never overwrites. */
export async function initCommand(file: string): Promise<ExitCodeValue> {
  try {
    // "wx": the check and the write are one step, so a file created in between is not overwritten.
    await writeFile(file, STARTER_SUITE, { flag: "wx" });
  } catch (err) {
    throw writeError(err, file) ?? err;
  }
  process.stdout.write(`wrote ${file}: run it with  npx gauntlet run ${file}\n`);
  return ExitCode.ok;
}

/** Why the starter suite could not be written, in words; undefined for a failure not foreseen. */
function writeError(err: unknown, file: string): UsageError | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  const folder = path.dirname(path.resolve(file));
  if (code === "EEXIST") return new UsageError(`${file} already exists; not overwriting it`);
  if (code === "ENOENT")
    return new UsageError(
      `cannot write ${file}: the folder ${folder} does not exist`,
      `create it first: mkdir -p ${folder}`,
    );
  if (code === "ENOTDIR")
    return new UsageError(`cannot write ${file}: part of its path is a file, not a folder`);
  if (code === "EISDIR")
    return new UsageError(
      `cannot write ${file}: it is a folder; name a file, e.g. ${path.join(file, "gauntlet.yaml")}`,
    );
  if (code === "EACCES" || code === "EPERM") return new UsageError(`cannot write ${file}: permission denied`);
  return undefined;
}
