// Run health against servers that cannot be used: each run exits 3 ("could not complete") with the
// server's own message and a hint on the console, even when the suite sets no threshold; a 401
// under load stops after its first fail_fast requests; `--only` skips what it does not run.
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunResult } from "../src/record/run-result.js";
import { runCli, tempDir, writeTemp } from "./helpers/cli.js";

/** A server on 127.0.0.1 answering every request with `handle`, counting the POSTs it saw. */
async function startServer(
  handle: (req: { method: string; url: string }, res: ServerResponse) => void,
): Promise<{ url: string; posts: () => number; close: () => Promise<void> }> {
  let posts = 0;
  const server: Server = createServer((req, res) => {
    if (req.method === "POST") posts++;
    req.resume();
    req.on("end", () => handle({ method: req.method ?? "GET", url: req.url ?? "/" }, res));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    posts: () => posts,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
};

async function readRun(out: string): Promise<RunResult> {
  return JSON.parse(await readFile(path.join(out, "run.json"), "utf8")) as RunResult;
}

async function lines(out: string): Promise<Array<{ phase: string; ok: boolean }>> {
  const text = await readFile(path.join(out, "requests.ndjson"), "utf8");
  return text
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { phase: string; ok: boolean });
}

describe("a target no request succeeds on: exit 3 with the server's words and a hint", () => {
  const servers: Array<Awaited<ReturnType<typeof startServer>>> = [];
  let unauthorised: Awaited<ReturnType<typeof startServer>>;
  let models: Awaited<ReturnType<typeof startServer>>;
  let stall: Awaited<ReturnType<typeof startServer>>;
  let dir = "";

  beforeAll(async () => {
    dir = await tempDir();
    unauthorised = await startServer((_req, res) =>
      json(res, 401, { error: { message: "Incorrect API key provided.", type: "invalid_request_error" } }),
    );
    // Serves /v1 only: /v1/models lists its models, /v1/chat/completions knows none of this suite's.
    models = await startServer((req, res) => {
      if (req.method === "GET" && req.url === "/v1/models")
        return json(res, 200, {
          object: "list",
          data: [{ id: "llama-3", created: 1_700_000_000 }, { id: "qwen-2" }],
        });
      if (req.url.startsWith("/v1/"))
        return json(res, 404, {
          error: { message: "The model `llama-3-typo` does not exist.", code: "model_not_found" },
        });
      return json(res, 404, { error: { message: `no route for ${req.method} ${req.url}` } });
    });
    stall = await startServer(() => {}); // never answers
    servers.push(unauthorised, models, stall);
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  it.each([
    [
      "401",
      () =>
        `{ provider: openai-chat, base_url: "${unauthorised.url}/v1", model: m, api_key: "sk-wrong-key-123" }`,
      () => [
        "http_4xx 401 ×2: Incorrect API key provided.",
        "hint: the server refused the key: check api_key of target t",
      ],
    ],
    [
      "404 for the model",
      () => `{ provider: openai-chat, base_url: "${models.url}/v1", model: llama-3-typo }`,
      () => [
        "http_4xx 404 ×2: The model `llama-3-typo` does not exist.",
        'hint: the server does not list model "llama-3-typo": GET /v1/models lists llama-3, qwen-2',
      ],
    ],
    [
      "404 for a base_url without /v1",
      () => `{ provider: openai-chat, base_url: "${models.url}", model: llama-3 }`,
      () => [
        "http_4xx 404 ×2: no route for POST /chat/completions",
        `hint: the path has no /v1: OpenAI-compatible servers serve /v1/...; add /v1 to base_url (${models.url}/v1)`,
      ],
    ],
    [
      "a stall past the first-token timeout",
      () =>
        `{ provider: openai-chat, base_url: "${stall.url}/v1", model: m, timeouts: { first_token: 300ms } }`,
      () => [
        "timeout ×2: first-token timeout after 300 ms",
        "hint: no first token within timeouts.first_token (300ms): raise it on target t, e.g. timeouts: { first_token: 1200ms }",
      ],
    ],
  ])("%s: no threshold set, yet exit 3 naming it in every report", async (name, target, wordsOf) => {
    const words = wordsOf();
    const suite = await writeTemp(
      dir,
      `${name.replace(/\W+/g, "-")}.yaml`,
      `version: 1
name: health
targets:
  t: ${target()}
prompts: { p: "hi {{n}}" }
cases: [{ id: a, prompt: p, vars: { n: 1 } }, { id: b, prompt: p, vars: { n: 2 } }]
quality: { retries: 0 }
`,
    );
    const out = path.join(dir, `out-${name.replace(/\W+/g, "-")}`);
    const r = await runCli(["run", suite, "--out", out]);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toContain("✗ t/quality: no successful request (2 of 2 failed)");
    for (const w of words) {
      expect(r.stdout).toContain(w);
      expect(r.stderr).toContain(w);
    }
    expect(r.stdout).toContain("could not complete (exit 3)");
    expect(r.stdout).not.toContain("passed");
    expect(r.stdout).not.toContain("sk-wrong-key-123");
    const run = await readRun(out);
    expect(run.health).toMatchObject({
      ok: false,
      problems: [{ target: "t", phase: "quality", kind: "no_success" }],
    });
    const summary = await readFile(path.join(out, "summary.md"), "utf8");
    expect(summary.split("\n")[0]).toContain(
      "could not complete: 1 phase had no successful request (exit 3)",
    );
    expect(summary).toContain("### Run health");
    const junit = await readFile(path.join(out, "junit.xml"), "utf8");
    expect(junit).toContain('<testsuite name="run health" tests="1" failures="0" errors="1"');
    for (const w of words) expect(junit).toContain(w.replace(/"/g, "&quot;"));
  });

  it("probe exits 3 for the same target, with the server's words and the hint", async () => {
    const suite = await writeTemp(
      dir,
      "probe.yaml",
      `version: 1
name: probe
targets:
  typo: { provider: openai-chat, base_url: "${models.url}/v1", model: llama-3-typo }
`,
    );
    const r = await runCli(["probe", suite]);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain("unusable");
    expect(r.stdout).toContain("http_4xx 404: The model `llama-3-typo` does not exist.");
    expect(r.stdout).toContain(
      'hint: the server does not list model "llama-3-typo": GET /v1/models lists llama-3, qwen-2',
    );
  });

  it("a 401 under closed-loop load stops after its first fail_fast requests, each one recorded", async () => {
    const before = unauthorised.posts();
    const suite = await writeTemp(
      dir,
      "storm.yaml",
      `version: 1
name: storm
targets:
  t: { provider: openai-chat, base_url: "${unauthorised.url}/v1", model: m, api_key: "sk-wrong-key-123" }
prompts: { p: "hi" }
cases: [{ id: a, prompt: p }]
load:
  - { name: storm, concurrency: 4, duration: 30s }
`,
    );
    const out = path.join(dir, "out-storm");
    const started = Date.now();
    const r = await runCli(["run", suite, "--out", out, "--only", "load"]);
    expect(r.code, r.stderr).toBe(3);
    const seen = unauthorised.posts() - before;
    // The first 20 completed were all 401s; the 3 other users' requests then in flight finish too.
    expect(seen).toBeGreaterThanOrEqual(20);
    expect(seen).toBeLessThanOrEqual(20 + 4);
    // Sent = recorded: every request the server saw has its line and is counted in the phase.
    expect(await lines(out)).toHaveLength(seen);
    const run = await readRun(out);
    expect(run.phases.find((p) => p.phase === "storm")!.requests).toBe(seen);
    expect(run.health!.problems).toEqual([
      expect.objectContaining({
        phase: "storm",
        kind: "fail_fast",
        reason: "fail_fast: stopped after its first 20 requests all failed with HTTP 401",
      }),
    ]);
    expect(r.stdout).toContain(
      "✗ t/storm: fail_fast: stopped after its first 20 requests all failed with HTTP 401",
    );
    expect(r.stdout).toContain("hint: the server refused the key: check api_key of target t");
    // It stopped at once, far short of its 30 s.
    expect(Date.now() - started).toBeLessThan(25_000);
  });

  it("fail_fast: 5 on the phase stops sooner; fail_fast: false lets the phase run its course", async () => {
    const suite = (failFast: string) => `version: 1
name: storm
targets:
  t: { provider: openai-chat, base_url: "${unauthorised.url}/v1", model: m }
prompts: { p: "hi" }
cases: [{ id: a, prompt: p }]
fail_fast: ${failFast}
load:
  - { name: five, concurrency: 1, requests: 40, fail_fast: 5 }
  - { name: all, concurrency: 1, requests: 30 }
`;
    const out = path.join(dir, "out-knobs");
    const r = await runCli([
      "run",
      await writeTemp(dir, "knobs.yaml", suite("false")),
      "--out",
      out,
      "--only",
      "load",
    ]);
    expect(r.code, r.stderr).toBe(3);
    const run = await readRun(out);
    expect(run.phases.find((p) => p.phase === "five")!.requests).toBe(5);
    // The suite's fail_fast: false: every one of its 30 requests was sent, each a 401.
    expect(run.phases.find((p) => p.phase === "all")!.requests).toBe(30);
    expect(run.health!.problems.map((p) => [p.phase, p.kind])).toEqual([
      ["five", "fail_fast"],
      ["all", "no_success"],
    ]);
  });
});

describe("--only skips the thresholds it leaves without samples", () => {
  it("--only quality on the starter suite from gauntlet init runs, the load threshold shown as skipped", async () => {
    const dir = await tempDir();
    expect((await runCli(["init"], { cwd: dir })).code).toBe(0);
    const r = await runCli(["run", "gauntlet.yaml", "--out", "out", "--only", "quality"], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      '– skip  ttft.p95{phase:steady} < 500ms  --only quality does not run phase "steady"',
    );
    expect(r.stdout).toContain("all thresholds passed, 1 skipped");
    const run = await readRun(path.join(dir, "out"));
    expect(run.thresholds.map((v) => v.key)).toEqual(["quality.pass_rate", "error_rate"]);
    expect(run.skippedThresholds).toEqual([
      {
        key: "ttft.p95{phase:steady}",
        expression: "< 500ms",
        reason: '--only quality does not run phase "steady"',
      },
    ]);
    const summary = await readFile(path.join(dir, "out", "summary.md"), "utf8");
    expect(summary).toContain("| ⏭ skipped | ttft.p95{phase:steady} |");
    const junit = await readFile(path.join(dir, "out", "junit.xml"), "utf8");
    expect(junit).toContain('<skipped message="--only quality does not run phase &quot;steady&quot;"/>');
  });
});
