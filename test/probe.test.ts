import { describe, expect, it } from "vitest";
import { runCli, startSimProcess, tempDir, writeTemp } from "./helpers/cli.js";

describe("gauntlet probe", () => {
  it("reports streaming, usage in stream, non-streaming, the logprobs top-k cap and the context length", async () => {
    const sim = await startSimProcess([]);
    try {
      const dir = await tempDir();
      const suite = await writeTemp(
        dir,
        "suite.yaml",
        `version: 1
name: probe
targets:
  vllm-like: { provider: openai-chat, base_url: "${sim.url}", model: gauntlet-sim }
  completions: { provider: openai-completions, base_url: "${sim.url}", model: gauntlet-sim }
  tgi-like: { provider: tgi, base_url: "${sim.url.replace(/\/v1$/, "")}", model: tgi }
  claude-like: { provider: anthropic, base_url: "${sim.url}", model: claude }
  gone: { provider: openai-chat, base_url: "http://127.0.0.1:1/v1", model: m, timeouts: { connect: 1s } }
`,
      );
      const r = await runCli(["probe", suite, "--json"]);
      // A target that cannot be reached is unusable: the probe could not complete for it (exit 3).
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toContain("gauntlet: unusable: gone");
      const [ok, completions, tgi, claude, gone] = JSON.parse(r.stdout) as Array<
        Record<string, { ok?: boolean; maxTopK?: number; tokens?: number }>
      >;
      expect(ok!.streaming!.ok).toBe(true);
      expect(ok!.usageInStream!.ok).toBe(true);
      expect(ok!.nonStreaming!.ok).toBe(true);
      // The simulator, like vLLM, refuses more than 20 top logprobs.
      expect(ok!.logprobs).toMatchObject({ ok: true, maxTopK: 20 });
      expect(ok!.maxContext!.tokens).toBe(32768);
      // Each wire format asks in its own field and the alternatives must come back to count.
      expect(completions!.logprobs).toMatchObject({ ok: true, maxTopK: 20 });
      expect(tgi!.logprobs).toMatchObject({ ok: true, maxTopK: 20 });
      expect(tgi!.streaming!.ok).toBe(true);
      expect(claude!.streaming!.ok).toBe(true);
      expect(claude!.logprobs).toMatchObject({ ok: false });
      expect(gone).toMatchObject({ reachable: false });
      const text = await runCli(["probe", suite, "--target", "vllm-like"]);
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toMatch(/streaming\s+yes/);
      expect(text.stdout).toMatch(/max context\s+yes\s+32768 tokens/);
    } finally {
      await sim.stop();
    }
  });
});
