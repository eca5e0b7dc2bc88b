import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers/cli.js";
import {
  importCycles,
  layerViolations,
  readImportGraph,
  unreachableModules,
  type ModuleImports,
} from "./helpers/import-graph.js";
import { architectureTable, LAYERS, type Layer } from "./layers.js";

const graph = readImportGraph(ROOT);

describe("imports flow downward", () => {
  it("reads the real graph (a sanity check on the reader)", () => {
    const run = graph.find((m) => m.file === "src/cli/run-command.ts");
    expect(run?.imports).toContain("src/run/run-suite.ts");
    // Type-only imports count: a type is a dependency too.
    expect(graph.find((m) => m.file === "src/metrics/aggregate.ts")?.imports).toContain(
      "src/record/aggregate.ts",
    );
    expect(graph.length).toBeGreaterThan(100);
  });

  it("no module imports a higher layer or a peer folder (test/layers.ts)", () => {
    expect(layerViolations(graph, LAYERS)).toEqual([]);
  });

  it("no import cycle", () => {
    expect(importCycles(graph)).toEqual([]);
  });

  it("every module in src/ is reachable from the CLI: code only tests use lives in test/helpers", () => {
    expect(unreachableModules(graph, ["src/cli/main.ts"])).toEqual([]);
  });

  it("README's Architecture table lists every layer, folder, concern and what it may import", () => {
    const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
    expect(readme).toContain(architectureTable());
  });
});

describe("the checks themselves, on a made-up graph", () => {
  const layers: Layer[] = [
    { paths: ["src/util"], concern: "" },
    { paths: ["src/record"], concern: "" },
    { paths: ["src/report", "src/ui"], concern: "" },
  ];
  const m = (file: string, ...imports: string[]): ModuleImports => ({ file, imports });

  it("accepts imports of the own folder and of lower layers", () => {
    const ok = [
      m("src/util/a.ts"),
      m("src/record/r.ts", "src/util/a.ts"),
      m("src/report/x.ts", "src/report/y.ts", "src/record/r.ts", "src/util/a.ts"),
      m("src/report/y.ts"),
    ];
    expect(layerViolations(ok, layers)).toEqual([]);
  });

  it("fails a deliberately upward import, naming both modules and layers", () => {
    const upward = [m("src/record/r.ts", "src/report/x.ts"), m("src/report/x.ts")];
    expect(layerViolations(upward, layers)).toEqual([
      "src/record/r.ts imports src/report/x.ts: layer 2 (src/record) may not import layer 3 (src/report, src/ui)",
    ]);
  });

  it("fails an import between two folders of one layer", () => {
    expect(layerViolations([m("src/ui/v.tsx", "src/report/x.ts"), m("src/report/x.ts")], layers)).toEqual([
      "src/ui/v.tsx imports src/report/x.ts: src/ui and src/report share layer 3, so neither imports the other",
    ]);
  });

  it("fails a module in no layer", () => {
    expect(layerViolations([m("src/sinks/s.ts")], layers)).toEqual([
      "src/sinks/s.ts is in no layer (add its folder to test/layers.ts)",
    ]);
  });

  it("finds a cycle and the path that closes it, and a module importing itself", () => {
    const cyclic = [
      m("src/a.ts", "src/b.ts"),
      m("src/b.ts", "src/c.ts"),
      m("src/c.ts", "src/a.ts", "src/d.ts"),
      m("src/d.ts"),
      m("src/e.ts", "src/e.ts"),
    ];
    expect(importCycles(cyclic)).toEqual(
      expect.arrayContaining([
        ["src/a.ts", "src/b.ts", "src/c.ts", "src/a.ts"],
        ["src/e.ts", "src/e.ts"],
      ]),
    );
    expect(importCycles(cyclic)).toHaveLength(2);
    expect(importCycles([m("src/a.ts", "src/b.ts"), m("src/b.ts")])).toEqual([]);
  });

  it("finds modules no entry point reaches", () => {
    const g = [m("src/cli/main.ts", "src/a.ts"), m("src/a.ts"), m("src/only-tests-use-me.ts")];
    expect(unreachableModules(g, ["src/cli/main.ts"])).toEqual(["src/only-tests-use-me.ts"]);
  });
});
