import { createServer, type AddressInfo } from "node:net";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, startSimProcess, tempDir, writeTemp } from "./helpers/cli.js";

/**
 * Small things met on the way, each through the built CLI: a dataset missing a column is one error,
 * not one per row; `sim --config` reads `answers_from` as a suite does; a busy port and a missing
 * folder are plain exit-2 messages, never "internal error" with a stack.
 */
describe("small fixes", () => {
  it("a CSV missing the column a prompt and an assertion use gives one error each, not one per row", async () => {
    const dir = await tempDir();
    const rows = ["id,question", ...Array.from({ length: 300 }, (_, i) => `r${i},q${i}`)].join("\n");
    await writeTemp(dir, "rows.csv", rows + "\n");
    const suite = await writeTemp(
      dir,
      "suite.yaml",
      `version: 1
name: missing-column
targets: { a: { provider: sim } }
prompts: { p: "{{question}} {{context}}" }
cases:
  - { from: rows.csv, prompt: p, assert: [{ equals: "{{label}}" }] }
`,
    );
    const { code, stderr } = await runCli(["validate", suite]);
    expect(code).toBe(2);
    const lines = stderr.split("\n").filter((l) => l.includes("rows.csv:"));
    expect(lines).toHaveLength(2);
    // Both are at the file's first row; which of the two is listed first is not the point.
    const prompt = lines.find((l) => l.includes("{{context}}")) ?? "";
    expect(prompt).toMatch(
      /rows\.csv:2: row 1: prompt "p" user uses \{\{context\}\}, which this case does not define/,
    );
    expect(prompt).toContain("so does every row of the file (300): is the column missing?");
    expect(lines.find((l) => l.includes("{{label}}"))).toMatch(/rows\.csv:2: row 1: uses \{\{label\}\}/);
    expect(stderr).toMatch(/^gauntlet: 2 problems:/);
  });

  it("sim --config loads answers_from relative to the profile file, after its answers", async () => {
    const dir = await tempDir();
    await writeTemp(dir, "answers.csv", 'question,answer\n"capital of France",Paris\nrefund,billing\n');
    const profile = await writeTemp(
      dir,
      "profile.yaml",
      "ttft_ms: 1\nitl_ms: 1\nanswers: [{ match: refund, reply: inline-wins }]\nanswers_from: { file: answers.csv, match: question, reply: answer }\n",
    );
    const sim = await startSimProcess(["--config", profile]);
    try {
      const ask = async (content: string) => {
        const res = await fetch(`${sim.url}/chat/completions`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ model: "m", messages: [{ role: "user", content }], stream: false }),
        });
        const body = (await res.json()) as { choices: Array<{ message: { content: string } }> };
        return body.choices[0]?.message.content;
      };
      expect(await ask("What is the capital of France?")).toBe("Paris");
      expect(await ask("I want a refund")).toBe("inline-wins");
    } finally {
      await sim.stop();
    }
  });

  it("sim --config naming a column the dataset lacks, or a file that is not there, is exit 2", async () => {
    const dir = await tempDir();
    await writeTemp(dir, "answers.csv", "q,a\nhi,there\n");
    const profile = await writeTemp(
      dir,
      "p.yaml",
      "answers_from: { file: answers.csv, match: question, reply: a }\n",
    );
    const missingColumn = await runCli(["sim", "--port", "0", "--config", profile], { timeoutMs: 20_000 });
    expect(missingColumn.code).toBe(2);
    expect(missingColumn.stderr).toContain(
      `${profile}: answers_from: column "question" is not in answers.csv`,
    );
    const missingFile = await runCli(["sim", "--port", "0", "--config", path.join(dir, "none.yaml")], {
      timeoutMs: 20_000,
    });
    expect(missingFile.code).toBe(2);
    expect(missingFile.stderr).toContain("none.yaml: simulator profile file not found");
  });

  it("sim --config names the field a misspelt or camelCase one meant, as a suite does", async () => {
    const profile = await writeTemp(await tempDir(), "p.yaml", "ttftMs: 5\nitl_msec: 3\n");
    const { code, stderr } = await runCli(["sim", "--port", "0", "--config", profile], { timeoutMs: 20_000 });
    expect(code).toBe(2);
    expect(stderr).toContain(
      `invalid simulator profile ${profile}: unknown field "ttftMs" (did you mean "ttft_ms"?); unknown field "itl_msec" (did you mean "itl_ms"?)`,
    );
  });

  it("sim --port on a busy port says so (exit 2), with no stack", async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    const { port } = busy.address() as AddressInfo;
    try {
      const { code, stderr } = await runCli(["sim", "--port", String(port)], { timeoutMs: 20_000 });
      expect(code).toBe(2);
      expect(stderr).toContain(`gauntlet: port ${port} on 127.0.0.1 is already in use`);
      expect(stderr).toContain("--port 0 for any free port");
      expect(stderr).not.toMatch(/internal error|\n\s+at /);
    } finally {
      busy.close();
    }
  });

  it("init into a folder that does not exist says which folder (exit 2), with no stack", async () => {
    const file = path.join(await tempDir(), "missing", "suite.yaml");
    const { code, stderr } = await runCli(["init", file]);
    expect(code).toBe(2);
    expect(stderr).toContain(
      `gauntlet: cannot write ${file}: the folder ${path.dirname(file)} does not exist`,
    );
    expect(stderr).not.toMatch(/internal error|\n\s+at /);
  });
});
