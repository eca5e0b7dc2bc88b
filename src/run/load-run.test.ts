import { getEventListeners } from "node:events";
import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSuite } from "../config/load-suite.js";
import { buildPlan } from "../config/plan.js";
import { PROVIDERS } from "../providers/registry.js";
import { startSimServer, type SimServer } from "../sim/server.js";
import { SimProfileSchema } from "../sim/profile.js";
import { runLoadPhase } from "./load-run.js";

let sim: SimServer;
beforeAll(async () => {
  sim = await startSimServer(SimProfileSchema.parse({ ttft_ms: 1, itl_ms: 1, output_tokens: 2 }));
});
afterAll(() => sim?.close());

describe("runLoadPhase", () => {
  it("leaves no listener on the run's signals, however many phases run on them (a sweep runs many)", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "gauntlet-load-run-"));
    const file = path.join(dir, "suite.yaml");
    await writeFile(
      file,
      [
        "version: 1",
        "name: phases",
        `targets: { t: { provider: openai-chat, base_url: "${sim.url}", model: m } }`,
        "load: [{ name: p, concurrency: 2, requests: 4, synthetic: { input_tokens: 4, output_tokens: 2 } }]",
      ].join("\n"),
    );
    const plan = await buildPlan(await loadSuite(file, {}));
    const target = plan.targets[0]!;
    const phase = plan.load[0]!;
    if (phase.kind !== "closed") throw new Error(`expected a closed loop, got ${phase.kind}`);
    const provider = PROVIDERS["openai-chat"]({
      baseUrl: sim.url,
      model: "m",
      headers: {},
      timeouts: target.timeouts,
      connections: 2,
    });
    const stop = new AbortController();
    const abort = new AbortController();
    try {
      for (let i = 0; i < 12; i++) {
        const r = await runLoadPhase(plan, phase, target, provider, () => {}, {
          stop: stop.signal,
          abort: abort.signal,
        });
        expect(r.aggregate.toAggregate().successes).toBe(4);
      }
    } finally {
      await provider.close();
    }
    expect(getEventListeners(stop.signal, "abort")).toHaveLength(0);
    expect(getEventListeners(abort.signal, "abort")).toHaveLength(0);
  });
});
