import { describe, expect, it } from "vitest";
import { runCli, startSimProcess, tempDir, writeTemp } from "./helpers/cli.js";

describe("--var NAME=value", () => {
  it("feeds ${NAME} interpolation over the environment; without it the suite names the missing variable", async () => {
    const dir = await tempDir();
    const suite = await writeTemp(
      dir,
      "suite.yaml",
      `version: 1
name: vars
targets:
  t: { provider: openai-chat, base_url: "\${GPU_URL}", model: "\${MODEL:-m}" }
prompts: { p: "hi" }
cases: [{ id: a, prompt: p }]
`,
    );
    const ok = await runCli([
      "validate",
      suite,
      "--var",
      "GPU_URL=http://10.0.0.7:8000/v1",
      "--var",
      "MODEL=llama",
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain("http://10.0.0.7:8000/v1");
    expect(ok.stdout).toContain("llama");
    const missing = await runCli(["validate", suite]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /suite\.yaml:4:\d+: targets\.t\.base_url: environment variable GPU_URL is not set/,
    );
  });

  it("probe takes --var too: the target's URL comes from it", async () => {
    const sim = await startSimProcess([]);
    try {
      const dir = await tempDir();
      const suite = await writeTemp(
        dir,
        "suite.yaml",
        `version: 1
name: vars
targets:
  t: { provider: openai-chat, base_url: "\${GPU_URL}", model: gauntlet-sim }
`,
      );
      const r = await runCli(["probe", suite, "--var", `GPU_URL=${sim.url}`, "--json"]);
      expect(r.code, r.stderr).toBe(0);
      const [report] = JSON.parse(r.stdout) as Array<{
        url: string;
        reachable: boolean;
        streaming?: { ok: boolean };
      }>;
      expect(report).toMatchObject({ url: sim.url, reachable: true, streaming: { ok: true } });
      const missing = await runCli(["probe", suite]);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/environment variable GPU_URL is not set/);
    } finally {
      await sim.stop();
    }
  });
});
