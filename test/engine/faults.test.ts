// Faults of a real server: a model the llama.cpp server does not serve (404), a wrong API key (401), and a
// client-side cancel (SIGINT mid-phase), each checked against the server's own truth log.
import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { BIN, ROOT, runCli, writeTemp, type CliResult } from "../helpers/cli.js";
import { readJsonl, startEngineServer, type EngineServer, type TruthLine } from "./engine.js";

const engine = inject("engine");
const REPORTS = [
  "cases.csv",
  "junit.xml",
  "report.html",
  "requests.ndjson",
  "review.jsonl",
  "run.json",
  "summary.md",
];

/** The parts of a requests.ndjson line this file reads. */
interface RequestLine {
  target: string;
  phase: string;
  response_id?: string;
  ok: boolean;
  failure?: { kind: string; message: string; status?: number };
}

interface RunJson {
  status: string;
  quality: { cases: Array<{ target: string; error?: string }> };
}

const CASES = [
  { id: "add-0000", prompt: "Q: 931+393=", expected: "1324" },
  { id: "rev-0000", prompt: "R: flij>", expected: "jilf" },
  { id: "add-0001", prompt: "Q: 201+854=", expected: "1055" },
];
const casesYaml = CASES.map(
  (c) =>
    `  - { id: ${c.id}, prompt: raw, vars: { q: "${c.prompt}" }, assert: [{ equals: "${c.expected}" }] }`,
).join("\n");

describe("HTTP errors from a llama.cpp server", () => {
  const KEY = "engine-key-7f3a9c";
  const WRONG_KEY = "wrong-key-b81d42";
  let server: EngineServer;
  let truthFile = "";
  let out = "";
  let result: CliResult;

  beforeAll(async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "gauntlet-engine-faults-"));
    truthFile = path.join(dir, "truth.jsonl");
    server = await startEngineServer(engine.dir, "Q4_K_M", { truth: truthFile, apiKey: KEY });
    const suite = await writeTemp(
      dir,
      "suite.yaml",
      `version: 1
name: engine-faults
targets:
  served:
    provider: openai-completions
    base_url: ${server.baseUrl}
    model: ${server.model}
    api_key: \${ENGINE_KEY}
    params: { temperature: 0, max_tokens: 16 }
  unknown_model: { extends: served, model: toy-nope }
  wrong_key: { extends: served, api_key: "\${WRONG_KEY}" }
prompts: { raw: "{{q}}" }
cases:
${casesYaml}
load:
  - { name: closed, concurrency: 2, requests: 8 }
`,
    );
    out = path.join(dir, "out");
    result = await runCli([
      "run",
      suite,
      "--out",
      out,
      "--var",
      `ENGINE_KEY=${KEY}`,
      "--var",
      `WRONG_KEY=${WRONG_KEY}`,
    ]);
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
  });

  const requestsOf = async (target: string) =>
    (await readJsonl<RequestLine>(path.join(out, "requests.ndjson"))).filter((r) => r.target === target);

  it("the served target's requests succeed and are the server's", async () => {
    const served = await requestsOf("served");
    expect(served).toHaveLength(CASES.length + 8);
    expect(served.filter((r) => !r.ok)).toEqual([]);
    const ok = new Set(
      (await readJsonl<TruthLine>(truthFile)).filter((t) => t.status === "ok").map((t) => t.id),
    );
    expect(served.filter((r) => !ok.has(r.response_id ?? ""))).toEqual([]);
  });

  it.each([
    ["unknown_model", 404, "The model `toy-nope` does not exist"],
    ["wrong_key", 401, "Incorrect API key provided."],
  ])(
    "%s: every request is an http_4xx failure with status %i and the server's message",
    async (target, status, words) => {
      // Run health: a target with no successful request makes the run exit 3 ("could not complete"),
      // with the server's message and a hint (check api_key; the models the server lists) on the console.
      expect(result.code, result.stderr).toBe(3);
      expect(result.stdout).toContain(`✗ ${target}/quality: no successful request`);
      expect(result.stdout).toContain(words);
      expect(result.stdout).toContain(
        target === "wrong_key"
          ? "hint: the server refused the key: check api_key of target wrong_key"
          : 'hint: the server does not list model "toy-nope": GET /v1/models lists',
      );
      const lines = await requestsOf(target);
      expect(lines).toHaveLength(CASES.length + 8);
      for (const r of lines) {
        expect(r.ok).toBe(false);
        expect(r.failure).toMatchObject({ kind: "http_4xx", status });
        expect(r.failure?.message).toContain(words);
      }
      const run = JSON.parse(await readFile(path.join(out, "run.json"), "utf8")) as RunJson;
      const cases = run.quality.cases.filter((c) => c.target === target);
      expect(cases).toHaveLength(CASES.length);
      for (const c of cases) expect(c.error).toContain(words);
      // The server rejected exactly as many requests as Gauntlet recorded: a 4xx is not retried.
      const rejected = (await readJsonl<TruthLine>(truthFile)).filter(
        (t) => t.status === "rejected" && t.http_status === status,
      );
      expect(rejected).toHaveLength(lines.length);
    },
  );

  it("neither key appears in any report or on the console", async () => {
    const texts = [result.stdout, result.stderr];
    for (const f of await readdir(out)) texts.push(await readFile(path.join(out, f), "utf8"));
    for (const text of texts) {
      expect(text).not.toContain(KEY);
      expect(text).not.toContain(WRONG_KEY);
    }
  });
});

describe("Ctrl-C mid-phase against a llama.cpp server", () => {
  let server: EngineServer;
  let truthFile = "";
  let dir = "";

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "gauntlet-engine-sigint-"));
    truthFile = path.join(dir, "truth.jsonl");
    // Room for 4,000-token answers: each takes seconds even on a quiet box, far past the 2 s grace.
    server = await startEngineServer(engine.dir, "Q4_K_M", { truth: truthFile, ctxPerSeq: 4200 });
  });

  afterAll(async () => {
    await server?.stop();
  });

  const health = async () =>
    (await (await fetch(server.baseUrl.replace(/\/v1$/, "/health"))).json()) as {
      active: number;
      served: number;
    };

  it("exits 130 with every report; the server sees every in-flight request cancelled", async () => {
    const suite = await writeTemp(
      dir,
      "suite.yaml",
      `version: 1
name: engine-sigint
targets:
  q4_k_m:
    provider: openai-completions
    base_url: ${server.baseUrl}
    model: ${server.model}
    params: { temperature: 0 }
prompts: { raw: "{{q}}" }
cases:
  - { id: a, prompt: raw, vars: { q: "Q: 931+393=" } }
load:
  - { name: short, concurrency: 2, requests: 6, synthetic: { input_tokens: 4, output_tokens: 8 } }
  - { name: long, concurrency: 4, duration: 60s, synthetic: { input_tokens: 4, output_tokens: 4000 } }
`,
    );
    const out = path.join(dir, "out");
    const child = spawn(process.execPath, [BIN, "run", suite, "--only", "load", "--out", out], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: "1", GAUNTLET_CACHE_DIR: path.join(dir, "cache") },
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    // Interrupt once the short phase is served and the long phase's 4 streams are generating.
    for (let i = 0; i < 300; i++) {
      const h = await health();
      if (h.served >= 6 && h.active >= 4) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await health()).toMatchObject({ served: 6, active: 4 });
    const signalled = Date.now();
    child.kill("SIGINT");
    const code = await exited;
    expect(code, stderr).toBe(130);
    expect(Date.now() - signalled).toBeLessThan(10_000);
    expect((await readdir(out)).sort()).toEqual(REPORTS);
    const run = JSON.parse(await readFile(path.join(out, "run.json"), "utf8")) as RunJson;
    expect(run.status).toBe("interrupted");

    // The server stopped generating: the client closed every stream it cut.
    for (let i = 0; i < 50 && (await health()).active > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect((await health()).active).toBe(0);
    const truth = await readJsonl<TruthLine>(truthFile);
    const cancelled = truth.filter((t) => t.status === "cancelled");
    expect(cancelled).toHaveLength(4);
    for (const t of cancelled) expect(t.output_tokens).toBeGreaterThan(0);

    // Sent = recorded: every request the server received is a line, the 4 it cancelled included.
    const requests = await readJsonl<RequestLine & { output_tokens: number }>(
      path.join(out, "requests.ndjson"),
    );
    expect(requests).toHaveLength(truth.length);
    // Each finished one with the server's token count.
    const ok = new Map(truth.filter((t) => t.status === "ok").map((t) => [t.id, t]));
    const finished = requests.filter((r) => r.ok);
    expect(finished.filter((r) => r.phase === "short")).toHaveLength(6);
    expect(finished).toHaveLength(ok.size);
    for (const r of finished) expect(r.output_tokens).toBe(ok.get(r.response_id ?? "")?.output_tokens);
    // The streams the grace cut off are failures of their own kind, in the long phase, never passed
    // off as finished; each had received tokens, no more than the server generated for it.
    const cut = requests.filter((r) => !r.ok);
    expect(cut).toHaveLength(4);
    const generated = Math.max(...cancelled.map((t) => t.output_tokens));
    for (const r of cut) {
      expect(r.phase).toBe("long");
      expect(r.failure?.kind).toBe("interrupted");
      expect(r.output_tokens).toBeLessThanOrEqual(generated);
    }
  });
});
