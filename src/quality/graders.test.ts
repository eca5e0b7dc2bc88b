import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { parseSuiteText } from "../config/load-suite.js";
import { buildPlan } from "../config/plan.js";
import { startSimServer } from "../sim/server.js";
import { SimProfileSchema } from "../sim/profile.js";
import { cosine } from "./assertions/model-graded.js";
import { createGraderClient } from "./graders.js";
import { judgeMessages, parseJudgeReply } from "./judge.js";

const SUITE = (judgeUrl: string) => `version: 1
name: graders
targets:
  under-test: { provider: sim }
  judge:
    provider: sim
    grader: true
    sim:
      ttft_ms: 0
      itl_ms: 0
      answers:
        - { match: "<answer>\\nParis", reply: '{"reason": "Paris is the capital of France.", "score": 1, "pass": true}' }
        - { match: "<answer>", reply: '{"reason": "That is not the capital.", "score": 0, "pass": false}' }
  remote-judge: { provider: openai-chat, base_url: "${judgeUrl}", model: gauntlet-sim, grader: true }
prompts:
  p: "{{q}}"
cases:
  - { id: c1, prompt: p, vars: { q: hi } }
`;

describe("createGraderClient against the simulator (real sockets)", () => {
  it("asks a sim judge (started on first use) and an external one; embeds through /embeddings", async () => {
    const external = await startSimServer(
      SimProfileSchema.parse({ ttft_ms: 0, itl_ms: 0, answers: [{ match: "Lyon", reply: "FAIL" }] }),
    );
    const plan = await buildPlan(parseSuiteText("suite.yaml", SUITE(external.url), {}));
    const graders = createGraderClient(plan);
    try {
      const question = "What is the capital of France?";
      const good = parseJudgeReply(
        await graders.chat("judge", judgeMessages("Names the capital", question, "Paris")),
      );
      expect(good).toEqual({ score: 1, pass: true, reason: "Paris is the capital of France." });
      const bad = parseJudgeReply(
        await graders.chat("judge", judgeMessages("Names the capital", question, "Lyon")),
      );
      expect(bad).toMatchObject({ score: 0, pass: false });
      const remote = await graders.chat("remote-judge", judgeMessages("r", question, "Lyon"));
      expect(parseJudgeReply(remote)).toMatchObject({ score: 0, pass: false });

      const [a, b, c] = await graders.embed("judge", [
        "the capital is Paris",
        "Paris is the capital",
        "refund",
      ]);
      expect(cosine(a!, b!)).toBeCloseTo(1, 10);
      expect(cosine(a!, c!)).toBeLessThan(0.2);
      // Remembered per text: the same texts again are not re-sent (and come back identical).
      expect(await graders.embed("judge", ["refund"])).toEqual([c]);
      const viaRemote = await graders.embed("remote-judge", ["Paris is the capital"]);
      expect(viaRemote[0]).toEqual(b);
    } finally {
      await graders.close();
      await external.close();
    }
  });

  it("a grading target that cannot be reached rejects with a readable error", async () => {
    const plan = await buildPlan(parseSuiteText("suite.yaml", SUITE("http://127.0.0.1:9/v1"), {}));
    const graders = createGraderClient({ ...plan, retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 } });
    try {
      await expect(graders.chat("remote-judge", judgeMessages("r", "q", "a"))).rejects.toThrow(
        /target "remote-judge" failed: connect/,
      );
      await expect(graders.embed("remote-judge", ["x"])).rejects.toThrow();
      await expect(graders.chat("nobody", [])).rejects.toThrow(/unknown grading target "nobody"/);
    } finally {
      await graders.close();
    }
  });
});

describe("createGraderClient embeddings against a busy server (real node:http server)", () => {
  it("retries a 429 after the Retry-After the server stated, not after the policy's shorter backoff", async () => {
    const arrivalsMs: number[] = [];
    const server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        arrivalsMs.push(performance.now());
        if (arrivalsMs.length === 1) {
          res.writeHead(429, { "retry-after": "1", "content-type": "text/plain" }).end("busy");
          return;
        }
        res
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify({ data: [{ index: 0, embedding: [0.6, 0.8] }] }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const plan = await buildPlan(parseSuiteText("suite.yaml", SUITE(`http://127.0.0.1:${port}/v1`), {}));
    // Without Retry-After this policy would retry after 0.5-1 ms.
    const graders = createGraderClient({
      ...plan,
      retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 10_000 },
    });
    try {
      expect(await graders.embed("remote-judge", ["x"])).toEqual([[0.6, 0.8]]);
      expect(arrivalsMs).toHaveLength(2);
      // The server said 1 s; timers may fire a few ms early, never hundreds.
      expect(arrivalsMs[1]! - arrivalsMs[0]!).toBeGreaterThanOrEqual(950);
    } finally {
      await graders.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
