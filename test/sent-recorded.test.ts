import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readRun } from "../src/record/read-run.js";
import { interruptRun, runCli, tempDir, writeTemp } from "./helpers/cli.js";
import { startTruthServer, type TruthServer } from "./helpers/truth-server.js";

// The fault-and-signal matrix: a node:http server that never answers every tenth request keeps its
// own log of every request it received; whatever ends the run (a phase's time limit, Ctrl-C,
// SIGTERM), every request it received must be a line of requests.ndjson and counted in run.json.

interface Line {
  request_id?: string;
  phase: string;
  ok: boolean;
  warmup?: boolean;
  failure?: { kind: string; message: string };
  elapsed_ms?: number;
}

type Ending = "time_limit" | "SIGINT" | "SIGTERM";
type Loop = "closed" | "open" | "replay" | "quality";

const PHASES: Record<Exclude<Loop, "quality">, (ending: Ending) => string> = {
  closed: (e) =>
    `{ name: p, concurrency: 8, ${e === "time_limit" ? "duration: 1s, time_limit: 2s" : "duration: 60s"} }`,
  open: (e) =>
    `{ name: p, rate: 100, arrival: constant, ${e === "time_limit" ? "duration: 1s, time_limit: 2s" : "duration: 60s"} }`,
  // TRACE: 100 requests a second for 60 s, written beside the suite.
  replay: (e) =>
    `{ name: p, replay: trace.jsonl${e === "time_limit" ? ", duration: 1s, time_limit: 2s" : ""} }`,
};
const TRACE = Array.from(
  { length: 6000 },
  (_, i) => `{"timestamp": ${i * 10}, "input_tokens": 4, "output_tokens": 3}\n`,
).join("");

function suiteFor(url: string, loop: Loop, ending: Ending): string {
  const head = `version: 1
name: matrix
targets:
  t: { provider: openai-chat, base_url: "${url}", model: m, timeouts: { first_token: 60s, total: 60s } }
`;
  if (loop === "quality")
    return `${head}prompts: { q: "question {{n}}" }
cases:
${Array.from({ length: 300 }, (_, i) => `  - { id: c${i}, prompt: q, vars: { n: ${i} }, assert: [{ contains: "x" }] }`).join("\n")}
quality: { concurrency: 8 }
thresholds: { "quality.pass_rate": ">= 0" }
`;
  return `${head}load:
  - ${loop === "replay" ? PHASES[loop](ending) : PHASES[loop](ending).replace("{ name: p,", "{ name: p, synthetic: { input_tokens: 4, output_tokens: 3 },")}
thresholds: { error_rate: "< 1%" }
`;
}

const MATRIX: Array<{ loop: Loop; ending: Ending }> = [
  { loop: "closed", ending: "time_limit" },
  { loop: "open", ending: "time_limit" },
  { loop: "closed", ending: "SIGINT" },
  { loop: "open", ending: "SIGINT" },
  { loop: "closed", ending: "SIGTERM" },
  { loop: "open", ending: "SIGTERM" },
  { loop: "replay", ending: "time_limit" },
  { loop: "replay", ending: "SIGINT" },
  { loop: "quality", ending: "SIGINT" },
  { loop: "quality", ending: "SIGTERM" },
];

describe("every request the server received is recorded, whatever ends the run", () => {
  let server: TruthServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it.each(MATRIX)("$loop loop ended by $ending", async ({ loop, ending }) => {
    const truth = await startTruthServer({ silent: (seq) => seq % 10 === 9 });
    server = truth;
    const dir = await tempDir();
    const out = path.join(dir, "out");
    const suite = await writeTemp(dir, "suite.yaml", suiteFor(truth.url, loop, ending));
    if (loop === "replay") await writeTemp(dir, "trace.jsonl", TRACE);
    const expectedKind = ending === "time_limit" ? "cut_off_at_phase_end" : "interrupted";
    let code: number | null;
    let stderr: string;
    if (ending === "time_limit") {
      ({ code, stderr } = await runCli(["run", suite, "--out", out]));
      // The silent tenth is 10% failed: the error_rate < 1% gate must fail.
      expect(code, stderr).toBe(99);
    } else {
      // Signal once several silent requests are held and the rest are flowing.
      const ready = () => truth.log.length >= 40 && truth.log.filter((t) => t.silent).length >= 3;
      ({ code, stderr } = await interruptRun(suite, out, 0, { signal: ending, ready, killAfterMs: 20_000 }));
      expect(code, stderr).toBe(130);
    }
    const lines = (await readFile(path.join(out, "requests.ndjson"), "utf8"))
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Line);
    // Read as compare and merge read it: valid against run.schema.json, new kinds and fields included.
    const run = await readRun(path.join(out, "run.json"));
    const byId = new Map(lines.map((l) => [l.request_id, l]));
    expect(byId.size, "request ids are unique").toBe(lines.length);

    const received = truth.log;
    expect(received.length).toBeGreaterThan(0);
    // Every request the server received is a line, and its silent ones are cut off with the ending's kind.
    const missing = received.filter((t) => t.requestId === undefined || !byId.has(t.requestId));
    expect(missing, "received but not recorded").toEqual([]);
    for (const t of received) {
      const line = byId.get(t.requestId)!;
      if (t.silent) {
        expect(line.ok).toBe(false);
        expect(line.failure?.kind).toBe(expectedKind);
        expect(line.elapsed_ms).toBeGreaterThan(0);
      } else if (!line.ok) expect(line.failure?.kind).toBe(expectedKind);
    }
    // Lines the server never saw can only be requests cut off before they reached it.
    const seen = new Set(received.map((t) => t.requestId));
    for (const l of lines.filter((l) => !seen.has(l.request_id))) expect(l.failure?.kind).toBe(expectedKind);

    // run.json counts the same requests, the cut-off ones as failures of their kind.
    const phase = run.phases.find((p) => p.phase === (loop === "quality" ? "quality" : "p"))!;
    expect(phase.requests).toBe(lines.filter((l) => !l.warmup).length);
    const cut = lines.filter((l) => l.failure?.kind === expectedKind).length;
    expect(cut).toBeGreaterThanOrEqual(received.filter((t) => t.silent).length);
    expect((phase.errorsByKind as Record<string, number>)[expectedKind]).toBe(cut);
    if (loop === "quality") {
      expect(run.quality.cases).toHaveLength(lines.length);
      expect(run.quality.cases.filter((c) => c.error?.startsWith(expectedKind))).toHaveLength(cut);
    }
    console.log(
      `${loop}/${ending}: server received ${received.length} (${received.filter((t) => t.silent).length} never answered), recorded ${lines.length} lines, run.json ${phase.requests} requests, ${cut} ${expectedKind}`,
    );
  });
});

describe("long streams in flight at Ctrl-C", () => {
  it("are each a line, interrupted, with what they had received", async () => {
    // Every answer is a 20 s stream: at the signal, all 32 are in flight and none would end in the grace.
    const truth = await startTruthServer({ chunks: 200, chunkGapMs: 100 });
    try {
      const dir = await tempDir();
      const out = path.join(dir, "out");
      const suite = await writeTemp(
        dir,
        "suite.yaml",
        `version: 1
name: long
targets:
  t: { provider: openai-chat, base_url: "${truth.url}", model: m }
load:
  - { name: p, concurrency: 32, duration: 60s, synthetic: { input_tokens: 4, output_tokens: 200 } }
`,
      );
      const ready = () => truth.log.length >= 32;
      const { code, stderr } = await interruptRun(suite, out, 0, { ready, killAfterMs: 20_000 });
      expect(code, stderr).toBe(130);
      const lines = (await readFile(path.join(out, "requests.ndjson"), "utf8"))
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Line & { chunks: number });
      expect(lines).toHaveLength(32);
      expect(new Set(lines.map((l) => l.request_id))).toEqual(new Set(truth.log.map((t) => t.requestId)));
      for (const l of lines) {
        expect(l.failure?.kind).toBe("interrupted");
        expect(l.chunks).toBeGreaterThan(0);
        expect(l.elapsed_ms).toBeGreaterThan(2000);
      }
      const run = await readRun(path.join(out, "run.json"));
      expect(run.phases[0]!.requests).toBe(32);
      expect(run.phases[0]!.errorsByKind.interrupted).toBe(32);
    } finally {
      await truth.close();
    }
  });
});
