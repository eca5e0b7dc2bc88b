import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, startSimProcess, tempDir, writeTemp, type SimProcess } from "./helpers/cli.js";
import { FAILURE_KIND_OF_FAULT } from "./helpers/fault-kinds.js";

interface Truth {
  fault?: string;
  stream: boolean;
}
interface Line {
  ok: boolean;
  failure?: { kind: string };
  output?: string;
}

/** Providers and how each is pointed at the simulator (the sim serves every format on one port). */
const PROVIDERS: Array<{ provider: string; baseUrl: (sim: string) => string }> = [
  { provider: "openai-chat", baseUrl: (sim) => sim },
  { provider: "openai-completions", baseUrl: (sim) => sim },
  { provider: "anthropic", baseUrl: (sim) => sim },
  { provider: "ollama", baseUrl: (sim) => sim.replace(/\/v1$/, "") },
  { provider: "ollama-generate", baseUrl: (sim) => sim.replace(/\/v1$/, "") },
  { provider: "tgi", baseUrl: (sim) => sim.replace(/\/v1$/, "") },
];

const count = <T>(items: T[], key: (t: T) => string | undefined) => {
  const out: Record<string, number> = {};
  for (const item of items) {
    const k = key(item);
    if (k !== undefined) out[k] = (out[k] ?? 0) + 1;
  }
  return out;
};

describe.each(PROVIDERS)(
  "faults injected by the simulator, seen through $provider",
  ({ provider, baseUrl }) => {
    let sim: SimProcess;
    let dir: string;
    let truthFile: string;

    beforeAll(async () => {
      dir = await tempDir();
      truthFile = path.join(dir, "truth.jsonl");
      const profile = await writeTemp(
        dir,
        "profile.yaml",
        `ttft_ms: 5
itl_ms: 2
output_tokens: 8
seed: 7
faults: { http_429: 0.1, http_500: 0.1, drop: 0.1, malformed: 0.1, stall: 0.1, trickle: 0.1, stall_ms: 5000, trickle_bytes: 3 }
`,
      );
      sim = await startSimProcess(["--config", profile, "--truth", truthFile]);
    });

    afterAll(async () => {
      await sim?.stop().catch(() => {});
    });

    it.each([true, false])(
      "stream: %s — every faulty request is a failure of the right kind, counted exactly",
      async (stream) => {
        const n = 120;
        const suite = await writeTemp(
          dir,
          `suite-${stream}.yaml`,
          `version: 1
name: faults
targets:
  t:
    provider: ${provider}
    base_url: ${baseUrl(sim.url)}
    model: m
    stream: ${stream}
    # 2 s: a trickled answer's gaps stay far under it on a loaded box; a 5 s stall still exceeds it.
    timeouts: { first_token: 2s, total: 10s }
prompts: { q: "question {{n}}" }
cases:
${Array.from({ length: n }, (_, i) => `  - { id: c${i}, prompt: q, vars: { n: ${i} } }`).join("\n")}
quality: { concurrency: 16, retries: 0 }
`,
        );
        const out = path.join(dir, `out-${stream}`);
        const before = (await readFile(truthFile, "utf8").catch(() => "")).split("\n").filter(Boolean).length;
        const result = await runCli(["run", suite, "--out", out, "--quiet"]);
        expect(result.code, result.stderr).toBe(0);
        const lines = (await readFile(path.join(out, "requests.ndjson"), "utf8"))
          .split("\n")
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Line);
        // Stalled requests are still open on the simulator until it notices the client left; wait for the log.
        let truth: Truth[] = [];
        for (let i = 0; i < 50; i++) {
          truth = (await readFile(truthFile, "utf8"))
            .split("\n")
            .filter(Boolean)
            .slice(before)
            .map((l) => JSON.parse(l) as Truth);
          if (truth.length >= n) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        expect(lines).toHaveLength(n);
        expect(truth).toHaveLength(n);
        const injected = count(truth, (t) =>
          t.fault && t.fault !== "client_closed" ? FAILURE_KIND_OF_FAULT[t.fault] : undefined,
        );
        const observed = count(lines, (l) => l.failure?.kind);
        expect(Object.keys(injected).length).toBeGreaterThanOrEqual(4); // the seed gives a mix of kinds
        expect(observed).toEqual(injected);
        // Trickled responses arrive whole.
        const trickled = truth.filter((t) => t.fault === "trickle").length;
        expect(trickled).toBeGreaterThan(0);
        expect(lines.filter((l) => l.ok)).toHaveLength(
          n - Object.values(injected).reduce((a, b) => a + b, 0),
        );
      },
    );
  },
);

describe("quality calls retry on 429 and 5xx, honouring Retry-After", () => {
  it("retries until the answer comes, and counts every failed attempt", async () => {
    const dir = await tempDir();
    const truthFile = path.join(dir, "truth.jsonl");
    const profile = await writeTemp(
      dir,
      "profile.yaml",
      "ttft_ms: 1\nitl_ms: 1\noutput_tokens: 3\nseed: 3\nfaults: { http_429: 0.3, http_500: 0.1, retry_after_s: 0.05 }\n",
    );
    const sim = await startSimProcess(["--config", profile, "--truth", truthFile]);
    try {
      const n = 40;
      const suite = await writeTemp(
        dir,
        "suite.yaml",
        `version: 1
name: retries
targets:
  t: { provider: openai-chat, base_url: "${sim.url}", model: m }
prompts: { q: "question {{n}}" }
cases:
${Array.from({ length: n }, (_, i) => `  - { id: c${i}, prompt: q, vars: { n: ${i} } }`).join("\n")}
quality: { concurrency: 8, retries: 6 }
`,
      );
      const out = path.join(dir, "out");
      const result = await runCli(["run", suite, "--out", out, "--quiet", "--json"]);
      expect(result.code, result.stderr).toBe(0);
      const summary = JSON.parse(result.stdout) as { quality: Array<{ errored: number; scored: number }> };
      expect(summary.quality[0]).toMatchObject({ errored: 0, scored: n });
      await sim.stop();
      const truth = (await readFile(truthFile, "utf8"))
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Truth);
      const lines = (await readFile(path.join(out, "requests.ndjson"), "utf8"))
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Line);
      expect(lines.length).toBe(truth.length);
      expect(lines.length).toBeGreaterThan(n);
      expect(count(lines, (l) => l.failure?.kind)).toEqual(
        count(truth, (t) => (t.fault ? FAILURE_KIND_OF_FAULT[t.fault] : undefined)),
      );
    } finally {
      await sim.stop().catch(() => {});
    }
  });
});
