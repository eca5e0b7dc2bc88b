// Global setup of the engine project: builds the GGUF variants and the engine's ground truth once, for
// every engine test file (they read it with inject("engine")).
import path from "node:path";
import type { TestProject } from "vitest/node";
import { buildVariants, groundTruth, VARIANTS, WORK_DIR, type EngineInfo, type Variant } from "./engine.js";

declare module "vitest" {
  export interface ProvidedContext {
    engine: EngineInfo;
  }
}

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

export default async function setup(project: TestProject): Promise<void> {
  const t0 = Date.now();
  const log = await buildVariants();
  const built = log.split("\n").filter((l) => /^\s+gguf\/toy-/.test(l));
  console.log(`engine: setup.sh built ${built.length} GGUF files in ${seconds(t0)}\n${built.join("\n")}`);

  // Two evaluations at a time: each runs llama.cpp on one thread, and the box has two cores.
  const t1 = Date.now();
  const truth = {} as Record<Variant, string>;
  const queue = [...VARIANTS];
  const worker = async () => {
    for (let v = queue.shift(); v; v = queue.shift()) {
      const started = Date.now();
      const { file, cached } = await groundTruth(v);
      truth[v] = file;
      console.log(`engine: ground truth ${v} ${cached ? "cached" : `evaluated in ${seconds(started)}`}`);
    }
  };
  await Promise.all([worker(), worker()]);
  console.log(`engine: ground truth ready in ${seconds(t1)}`);

  const dir = path.join(WORK_DIR, "cpu-endpoint");
  project.provide("engine", { dir, heldout: path.join(dir, "model", "heldout.jsonl"), truth });
}
