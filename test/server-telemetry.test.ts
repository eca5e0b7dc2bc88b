import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServerTelemetry } from "../src/record/server-telemetry.js";
import type { TruthRecord } from "../src/sim/truth-log.js";
import {
  runCli,
  startSimProcess,
  tempDir,
  readJsonLines,
  writeTemp,
  type CliResult,
  type SimProcess,
} from "./helpers/cli.js";

interface RunJson {
  phases: Array<{ target: string; phase: string; server?: ServerTelemetry }>;
  thresholds: Array<{ key: string; pass: boolean; observed?: number }>;
}

/**
 * The simulator admits 4 requests at a time and each takes about a second (200 ms to the first of
 * 16 tokens 50 ms apart): two users never queue, twelve keep 4 running and 8 waiting.
 */
describe("server telemetry scraped from the simulator's /metrics", () => {
  let sim: SimProcess;
  let dir: string;
  let cli: CliResult;
  let run: RunJson;
  let md: string;
  let html: string;
  let truth: TruthRecord[];

  beforeAll(async () => {
    dir = await tempDir();
    const truthFile = path.join(dir, "truth.jsonl");
    sim = await startSimProcess([
      ...["--ttft-ms", "200", "--itl-ms", "50", "--output-tokens", "16", "--max-batch", "4"],
      ...["--truth", truthFile],
    ]);
    const suite = await writeTemp(
      dir,
      "suite.yaml",
      `version: 1
name: telemetry
targets:
  t: { provider: openai-chat, base_url: "${sim.url}", model: m }
  broken:
    provider: openai-chat
    base_url: "${sim.url}"
    model: m
    metrics: { url: "http://127.0.0.1:9/metrics", interval: 500ms }
prompts: { p: "hello" }
cases: [{ id: a, prompt: p }]
load:
  - { name: quiet, concurrency: 2, duration: 3s, targets: [t, broken] }
  - { name: busy, concurrency: 12, duration: 4s, targets: [t] }
thresholds:
  "server.requests_waiting.max{target:t,phase:quiet}": "< 1"
  "server.requests_waiting.p50{phase:busy}": "< 4"
  "server.kv_cache_usage.max{phase:busy}": "< 0.95"
`,
    );
    const out = path.join(dir, "out");
    cli = await runCli(["run", suite, "--out", out, "--only", "load"], { timeoutMs: 60_000 });
    await sim.stop();
    truth = await readJsonLines<TruthRecord>(truthFile);
    run = JSON.parse(await readFile(path.join(out, "run.json"), "utf8")) as RunJson;
    md = await readFile(path.join(out, "summary.md"), "utf8");
    html = await readFile(path.join(out, "report.html"), "utf8");
  }, 90_000);

  afterAll(async () => {
    await sim?.stop();
  });

  const server = (target: string, phase: string) =>
    run.phases.find((p) => p.target === target && p.phase === phase)?.server;

  it("a threshold on server.requests_waiting passes on a quiet phase and fails on a queued one (exit 99)", () => {
    expect(cli.code, cli.stderr).toBe(99);
    const by = Object.fromEntries(run.thresholds.map((v) => [v.key, v]));
    expect(by["server.requests_waiting.max{target:t,phase:quiet}"]).toMatchObject({
      pass: true,
      observed: 0,
    });
    expect(by["server.requests_waiting.p50{phase:busy}"]).toMatchObject({ pass: false, observed: 8 });
    expect(by["server.kv_cache_usage.max{phase:busy}"]).toMatchObject({ pass: false, observed: 1 });
    expect(cli.stderr).toContain("threshold failed: server.requests_waiting.p50{phase:busy}");
  });

  it("each scraped value is what the simulator's batcher held within one scrape interval of it", () => {
    const busy = server("t", "busy")!;
    expect(busy.engine).toBe("vllm");
    expect(busy.failures).toBe(0);
    expect(busy.scrapes).toBeGreaterThanOrEqual(3);
    // The simulator's truth at time t (µs): requests admitted and not finished, received and not admitted.
    const at = (us: number) => ({
      running: truth.filter((r) => r.admittedUs! <= us && us < (r.lastTokenUs ?? r.admittedUs!)).length,
      waiting: truth.filter((r) => r.receivedUs <= us && us < r.admittedUs!).length,
    });
    let checked = 0;
    for (const slice of busy.timeline.slices) {
      const intervalUs = busy.intervalMs * 1000;
      const fromUs = slice.startS * 1e6 - intervalUs;
      const toUs = (slice.startS + busy.timeline.widthS) * 1e6 + intervalUs;
      const window = Array.from({ length: 101 }, (_, i) => at(fromUs + ((toUs - fromUs) * i) / 100));
      for (const key of ["running", "waiting"] as const) {
        const s = slice.series[`requests_${key}`]!;
        const seen = window.map((w) => w[key]);
        expect(s.sum / s.n, `${key} at ${slice.startS}`).toBeGreaterThanOrEqual(Math.min(...seen));
        expect(s.sum / s.n, `${key} at ${slice.startS}`).toBeLessThanOrEqual(Math.max(...seen));
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(6);
    // Mid-phase the batch is full and the rest queue.
    const mid = busy.timeline.slices.slice(1, -1);
    expect(mid.filter((s) => s.series.requests_running?.max === 4).length).toBeGreaterThan(0);
    expect(Math.max(...mid.map((s) => s.series.requests_waiting?.max ?? 0))).toBe(8);
    expect(Math.max(...mid.map((s) => s.series["client.in_flight"]?.max ?? 0))).toBe(12);
  });

  it("a scrape that fails is counted and reported, never fatal", () => {
    const broken = server("broken", "quiet")!;
    expect(broken.scrapes).toBe(0);
    expect(broken.failures).toBeGreaterThanOrEqual(3);
    expect(broken.lastFailure).toMatch(/ECONNREFUSED|connect/);
    expect(md).toMatch(/broken\/quiet: \d+ of \d+ scrapes of http:\/\/127\.0\.0\.1:9\/metrics failed/);
  });

  it("summary.md lists each phase's peaks; report.html draws TTFT over time and in-flight, running and waiting", () => {
    expect(md).toContain("### Server telemetry (peaks per phase)");
    expect(md).toMatch(/\| t \| busy \| vllm \| \d+ \| 4 \| 8 \| 100\.0% \|/);
    expect(md).toMatch(/\| t \| quiet \| vllm \| \d+ \| 2 \| 0 \| 50\.0% \|/);
    expect(html).toContain('data-chart="latency-time-busy"');
    expect(html).toContain("busy: server running and waiting requests");
    expect(html).toContain("t server waiting");
    expect(html).toContain("t client in flight");
    expect(cli.stdout).toMatch(
      /server \(vllm, \d+ scrapes\): running 4, waiting 8, KV cache 100\.0% at most/,
    );
    expect(cli.stdout).toMatch(/server \(unknown engine, 0 scrapes, \d+ failed \([^)]*\)\)/);
  });
});
