import { spawn } from "node:child_process";
import type { ServerResponse } from "node:http";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readRun } from "../src/record/read-run.js";
import type { RunResult } from "../src/record/run-result.js";
import { BIN, ROOT, runCli, tempDir, writeTemp } from "./helpers/cli.js";
import { startTruthServer, type TruthServer } from "./helpers/truth-server.js";

// Failures say what happened: a page or a plain JSON answer where a stream was asked, a redirect, a
// stalled stream, this machine running out of file descriptors; each failed request keeps the
// server's own request id.

interface Line {
  case?: string;
  request_id?: string;
  ok: boolean;
  failure?: { kind: string; message: string; serverRequestId?: string };
}

const readLines = async (out: string) =>
  (await readFile(path.join(out, "requests.ndjson"), "utf8"))
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Line);

/** run.json, validated against run.schema.json (the new kinds and fields are in it). */
const readRunJson = (out: string): Promise<RunResult> => readRun(path.join(out, "run.json"));

/** The word each case's prompt carries decides how the server answers it. */
function hostileAnswer(body: string, res: ServerResponse): boolean {
  const word = /say (\w+)/.exec(body)?.[1];
  switch (word) {
    case "html":
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<!doctype html><html><body>Sign in to continue</body></html>");
      return true;
    case "json":
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({ id: "c1", choices: [{ index: 0, message: { role: "assistant", content: "hi" } }] }),
      );
      return true;
    case "redirect":
      res.writeHead(302, { location: "https://login.example.com/v1/chat/completions?token=abc123" });
      res.end();
      return true;
    case "error":
      res.writeHead(500, { "content-type": "application/json", "x-request-id": `srv-${Math.random()}` });
      res.end('{"error":"boom"}');
      return true;
    case "stall":
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write('data: {"choices":[{"delta":{"content":"x"}}]}\n\n');
      return true;
    default:
      return false;
  }
}

describe("failure classes", () => {
  let server: TruthServer;
  let out: string;
  let lines: Line[];
  let run: RunResult;
  let stderr: string;

  beforeAll(async () => {
    server = await startTruthServer({ answer: hostileAnswer });
    const dir = await tempDir();
    out = path.join(dir, "out");
    const words = ["html", "json", "redirect", "error", "stall", "fine"];
    const suite = await writeTemp(
      dir,
      "suite.yaml",
      `version: 1
name: classes
targets:
  t: { provider: openai-chat, base_url: "${server.url}", model: m, timeouts: { first_token: 1s, total: 20s } }
prompts: { q: "say {{w}}" }
cases:
${words.map((w) => `  - { id: ${w}, prompt: q, vars: { w: ${w} }, assert: [{ contains: "x" }] }`).join("\n")}
quality: { retries: 2 }
`,
    );
    const result = await runCli(["run", suite, "--out", out]);
    stderr = result.stderr;
    expect(result.code, stderr).toBe(0);
    lines = await readLines(out);
    run = await readRunJson(out);
  }, 60_000);

  afterAll(() => server.close());

  const received = (word: string) => server.log.filter((t) => t.body?.includes(`say ${word}`)).length;
  const caseLines = (id: string) => lines.filter((l) => l.case === id);

  it.each([
    ["html", "not_a_stream", "Sign in to continue"],
    ["json", "not_a_stream", '"choices"'],
  ])("a %s body with 200 where a stream was asked is not_a_stream, sent once", (word, kind, shown) => {
    expect(received(word)).toBe(1);
    const [line] = caseLines(word);
    expect(line?.failure?.kind).toBe(kind);
    expect(line?.failure?.message).toContain(shown);
  });

  it("a redirect is reported with its target (no query), never followed or retried", () => {
    expect(received("redirect")).toBe(1);
    const [line] = caseLines("redirect");
    expect(line?.failure?.kind).toBe("redirect");
    expect(line?.failure?.message).toBe("HTTP 302 to https://login.example.com/v1/chat/completions");
  });

  it("every failed request keeps the server's request id, in requests.ndjson and run.json", () => {
    const failed = caseLines("error");
    expect(failed).toHaveLength(3);
    expect(received("error")).toBe(3);
    for (const l of failed) expect(l.failure?.serverRequestId).toMatch(/^srv-0\.\d+$/);
    const samples = run.phases[0]!.failureSamples ?? [];
    const mine = samples.filter((s) => s.kind === "http_5xx");
    expect(mine.map((s) => s.serverRequestId).sort()).toEqual(
      failed.map((l) => l.failure?.serverRequestId).sort(),
    );
    expect(mine.map((s) => s.requestId).sort()).toEqual(failed.map((l) => l.request_id).sort());
    const outcome = run.quality.cases.find((c) => c.caseId === "error");
    expect(outcome?.errorKind).toBe("http_5xx");
    expect(outcome?.serverRequestId).toBe(failed[2]?.failure?.serverRequestId);
  });

  it("a stalled stream names the timeout that fired", () => {
    const last = caseLines("stall").at(-1);
    expect(last?.failure?.kind).toBe("timeout");
    expect(last?.failure?.message).toBe(
      "stream stalled: no bytes for timeouts.first_token, 1000 ms (it bounds every gap between chunks)",
    );
  });

  it("every request carries the x-request-id its line records", () => {
    expect(new Set(server.log.map((t) => t.requestId))).toEqual(new Set(lines.map((l) => l.request_id)));
  });
});

describe("this machine out of file descriptors", () => {
  it("is client_error: recorded, never counted against the server, and warned about", async () => {
    const server = await startTruthServer({ chunkGapMs: 50 });
    try {
      const dir = await tempDir();
      const out = path.join(dir, "out");
      const suite = await writeTemp(
        dir,
        "suite.yaml",
        `version: 1
name: emfile
targets:
  t: { provider: openai-chat, base_url: "${server.url}", model: m }
load:
  - { name: p, concurrency: 600, requests: 900, synthetic: { input_tokens: 4, output_tokens: 3 } }
thresholds: { error_rate: "< 1%" }
`,
      );
      // 400 descriptors load the CLI, but cannot open 600 connections.
      const child = spawn(
        "bash",
        ["-c", `ulimit -n 400 && exec "${process.execPath}" "${BIN}" run "${suite}" --out "${out}"`],
        {
          cwd: ROOT,
          env: { ...process.env, NO_COLOR: "1", CI: "1" },
        },
      );
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
      const lines = await readLines(out);
      const run = await readRunJson(out);
      const client = lines.filter((l) => l.failure?.kind === "client_error");
      expect(client.length, stderr).toBeGreaterThan(0);
      expect(client[0]!.failure!.message).toContain("EMFILE");
      const phase = run.phases[0]!;
      // Not sent, so not the server's: out of requests and failures, so error_rate < 1% passes.
      expect(phase.clientErrors).toBe(client.length);
      expect(phase.requests).toBe(lines.length - client.length);
      expect(phase.requests).toBe(server.log.length);
      expect(phase.failures).toBe(0);
      expect(code, stderr).toBe(0);
      // Warned as it happens and again at the end.
      expect(stderr).toContain("THIS MACHINE failed to send requests");
      expect(stderr).toContain(`gauntlet: warning: ${client.length} request(s) failed on THIS MACHINE`);
    } finally {
      await server.close();
    }
  });
});
