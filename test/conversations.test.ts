import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  readJsonLines,
  ROOT,
  runCli,
  startSimProcess,
  tempDir,
  writeTemp,
  type SimProcess,
} from "./helpers/cli.js";

// Conversation datasets through the built CLI against the simulator in its own process: ShareGPT
// and OpenAI chat rows become cases with their own messages, a recorded last answer becomes
// {{expected}}, and scrub: pii keeps e-mail addresses, phone numbers and long digit runs out of
// what the simulator received and out of every file of the run.

interface Truth {
  prompt?: string;
}
const PII = ["jane.doe@example.com", "84120397", "123-4567", "bob@example.org"];

describe("ShareGPT and OpenAI chat datasets with scrub: pii", () => {
  let sim: SimProcess;
  let dir: string;
  let out: string;
  let truth: Truth[];
  let code: number | null;
  let stderr: string;

  beforeAll(async () => {
    dir = await tempDir();
    const truthFile = path.join(dir, "truth.ndjson");
    sim = await startSimProcess(["--ttft-ms", "1", "--itl-ms", "1", "--truth", truthFile]);
    const datasets = path.join(ROOT, "fixtures/datasets");
    const suite = await writeTemp(
      dir,
      "suite.yaml",
      `version: 1
name: conversations
targets:
  t: { provider: openai-chat, base_url: "${sim.url}", model: m }
cases:
  - { from: "${datasets}/sharegpt-sample.jsonl", scrub: pii, assert: [{ contains: "{{expected}}", not: true }] }
  - { from: "${datasets}/openai-chat-sample.jsonl", format: openai_chat, scrub: pii, assert: [{ equals: "{{expected}}", not: true }] }
`,
    );
    out = path.join(dir, "out");
    ({ code, stderr } = await runCli(["run", suite, "--out", out, "--quiet"]));
    await sim.stop();
    truth = await readJsonLines<Truth>(truthFile);
  }, 60_000);

  afterAll(async () => {
    await sim?.stop();
  });

  it("sends each row once, its last user turn scrubbed", () => {
    // The simulator's filler never is the recorded answer: every negated assertion passes.
    expect(code, stderr).toBe(0);
    expect(truth).toHaveLength(5);
    const prompts = truth.map((t) => t.prompt).sort();
    expect(prompts).toEqual(
      [
        "Hi, I'm [EMAIL], can I get a refund for order [NUMBER]?",
        "When will it arrive?",
        "What are your opening hours?",
        "It broke on day one, mail me at [EMAIL]",
        "Great service",
      ].sort(),
    );
  });

  it("keeps every piece of PII out of every file of the run", async () => {
    for (const name of await readdir(out)) {
      const text = await readFile(path.join(out, name), "utf8");
      for (const pii of PII) expect(text.includes(pii), `${pii} in ${name}`).toBe(false);
    }
  });

  it("the recorded answer, or the row's own expected, is each case's {{expected}}", async () => {
    const run = JSON.parse(await readFile(path.join(out, "run.json"), "utf8")) as {
      quality: { cases: Array<{ caseId: string; assertions: Array<{ reason: string }> }> };
    };
    const reasons = Object.fromEntries(run.quality.cases.map((c) => [c.caseId, c.assertions[0]!.reason]));
    expect(Object.keys(reasons).sort()).toEqual(["hours", "parcel", "refund", "sentiment-1", "sentiment-2"]);
    expect(reasons.refund).toContain("Yes: refunds take 5 business days.");
    expect(reasons.parcel).toContain("Tomorrow before noon.");
    expect(reasons.hours).toContain("9 to 5");
    expect(reasons["sentiment-1"]).toContain("negative");
    expect(reasons["sentiment-2"]).toContain("positive");
  });
});

describe("a conversation dataset's mistakes are located", () => {
  it("names the dataset line of a malformed row, an ambiguous format and a prompt beside a format; exit 2", async () => {
    const dir = await tempDir();
    await writeTemp(
      dir,
      "chat.jsonl",
      [
        JSON.stringify({ messages: [{ role: "user", content: "ok" }] }),
        JSON.stringify({ messages: [{ role: "robot", content: "x" }] }),
      ].join("\n"),
    );
    await writeTemp(dir, "both.jsonl", JSON.stringify({ messages: [], conversations: [] }));
    const suite = await writeTemp(
      dir,
      "suite.yaml",
      `version: 1
name: bad
targets:
  t: { provider: openai-chat, base_url: "http://127.0.0.1:9/v1", model: m }
prompts: { p: "{{q}}" }
cases:
  - { from: chat.jsonl }
  - { from: both.jsonl }
  - { from: chat.jsonl, prompt: p, format: sharegpt }
`,
    );
    const result = await runCli(["validate", suite]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /chat\.jsonl:2: row 2: messages\[0\]\.role: expected system, user or assistant, got "robot"/,
    );
    expect(result.stderr).toMatch(
      /suite\.yaml:8:\d+: cases\[1\]\.from: both\.jsonl: the rows have both conversations/,
    );
    expect(result.stderr).toMatch(
      /suite\.yaml:9:\d+: cases\[2\]\.format: a sharegpt dataset brings its own messages/,
    );
  });
});
