import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  readJsonLines,
  runCli,
  startSimProcess,
  tempDir,
  writeTemp,
  type SimProcess,
} from "./helpers/cli.js";

// A trace replayed through the built CLI against the simulator in its own process: every row is one
// line of requests.ndjson, sent at its timestamp / speed from the phase start, asking for its
// output_tokens, and the simulator's own log says it received exactly those requests.

interface Line {
  phase: string;
  response_id?: string;
  ok: boolean;
  start_us: number;
  dispatch_delay_ms: number;
}
interface Truth {
  id: string;
  prompt?: string;
  maxTokens?: number;
  completionTokens: number;
  promptTokens: number;
}

/** 40 rows: a trickle, a burst of 10 at 300 ms, a gap; timestamps in seconds. */
const ROWS = Array.from({ length: 40 }, (_, i) => ({
  timestamp: i < 10 ? i * 0.025 : i < 20 ? 0.3 : 0.4 + (i - 20) * 0.0125,
  input_tokens: 5 + ((i * 7) % 30),
  output_tokens: 2 + ((i * 5) % 9),
}));
const SPEED = 2;

describe("replay of a trace through the CLI", () => {
  let sim: SimProcess;
  let dir: string;
  let lines: Line[];
  let truth: Truth[];
  let validateOut: string;

  beforeAll(async () => {
    dir = await tempDir();
    const truthFile = path.join(dir, "truth.ndjson");
    sim = await startSimProcess([
      "--ttft-ms",
      "5",
      "--itl-ms",
      "2",
      "--max-batch",
      "4",
      "--truth",
      truthFile,
    ]);
    await writeTemp(dir, "trace.jsonl", ROWS.map((r) => JSON.stringify(r)).join("\n") + "\n");
    const suite = await writeTemp(
      dir,
      "suite.yaml",
      `version: 1
name: replay
targets:
  t: { provider: openai-chat, base_url: "${sim.url}", model: m }
load:
  - { name: trace, replay: trace.jsonl, timestamp_unit: s, speed: ${SPEED} }
`,
    );
    const validated = await runCli(["validate", suite]);
    expect(validated.code, validated.stderr).toBe(0);
    validateOut = validated.stdout;
    const out = path.join(dir, "out");
    const result = await runCli(["run", suite, "--out", out, "--quiet"]);
    expect(result.code, result.stderr).toBe(0);
    lines = await readJsonLines<Line>(path.join(out, "requests.ndjson"));
    await sim.stop();
    truth = await readJsonLines<Truth>(truthFile);
  }, 60_000);

  afterAll(async () => {
    await sim?.stop();
  });

  it("validate shows the replay: rows, span and speed", () => {
    expect(validateOut).toContain("trace: replay of");
    expect(validateOut).toContain("40 requests over 637.5ms, speed 2: 318.75ms");
  });

  it("records one line per trace row, each received by the simulator once", () => {
    expect(lines).toHaveLength(ROWS.length);
    expect(lines.every((l) => l.ok)).toBe(true);
    expect(truth).toHaveLength(ROWS.length);
    expect(new Set(lines.map((l) => l.response_id))).toEqual(new Set(truth.map((t) => t.id)));
  });

  it("sends row i at its timestamp / speed, asking for its output_tokens, with a prompt of its input_tokens", () => {
    const truthById = new Map(truth.map((t) => [t.id, t]));
    const originUs = Math.min(...lines.map((l) => l.start_us));
    const seen = new Set<number>();
    for (const line of lines) {
      const t = truthById.get(line.response_id ?? "");
      // The synthetic prompt starts with its row's tag, r1 for the first row.
      const row = Number(/^r(\d+)\b/.exec(t?.prompt ?? "")?.[1]) - 1;
      const trace = ROWS[row];
      expect(trace, `row of ${t?.prompt?.slice(0, 20)}`).toBeDefined();
      seen.add(row);
      // Scheduled offset from the phase start: exactly the trace's time / speed (start_us is whole µs).
      expect(Math.abs(line.start_us - originUs - (trace!.timestamp * 1e6) / SPEED)).toBeLessThanOrEqual(1);
      expect(t!.maxTokens).toBe(trace!.output_tokens);
      expect(t!.completionTokens).toBe(trace!.output_tokens);
      // The simulator counts a message's words plus one.
      expect(t!.promptTokens).toBe(trace!.input_tokens + 1);
    }
    expect(seen.size).toBe(ROWS.length);
  });
});

describe("a bad trace is a located error before anything is sent", () => {
  it("names the trace's file and line of each bad row, and a replay given a rate, and exits 2", async () => {
    const dir = await tempDir();
    await writeTemp(
      dir,
      "bad.jsonl",
      [
        '{"timestamp": 0, "input_tokens": 5, "output_tokens": 5}',
        '{"timestamp": 10, "input_tokens": 5}',
        '{"timestamp": 5, "input_tokens": 5, "output_tokens": 5}',
      ].join("\n"),
    );
    const suite = await writeTemp(
      dir,
      "suite.yaml",
      `version: 1
name: bad-replay
targets:
  t: { provider: openai-chat, base_url: "http://127.0.0.1:9/v1", model: m }
load:
  - { name: a, replay: bad.jsonl }
  - { name: b, replay: missing.jsonl }
`,
    );
    for (const command of ["validate", "run"]) {
      const out = command === "run" ? ["--out", path.join(dir, "out")] : [];
      const result = await runCli([command, suite, ...out]);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(
        /bad\.jsonl:2\b.*output_tokens: expected a whole number of tokens above 0/,
      );
      expect(result.stderr).toMatch(/bad\.jsonl:3\b.*timestamp: goes back in time/);
      expect(result.stderr).toMatch(
        /suite\.yaml:7:\d+: load\[1\]\.replay: trace file not found: .*missing\.jsonl/,
      );
    }
    // A replay takes its times from its trace: a rate beside it is a schema error of its own.
    const text = await readFile(suite, "utf8");
    await writeTemp(
      dir,
      "suite.yaml",
      text.replace("replay: missing.jsonl }", "replay: bad.jsonl, rate: 5 }"),
    );
    const shape = await runCli(["validate", suite]);
    expect(shape.code).toBe(2);
    expect(shape.stderr).toMatch(
      /load\[1\]\.rate: a replay sends each request of its trace at the trace's time: remove rate/,
    );
  });
});
