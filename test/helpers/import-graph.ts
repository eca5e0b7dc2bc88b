import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import type { Layer } from "../layers.js";

/** One module of src/ and the src/ modules it imports (repository-relative paths, `/` separated). */
export interface ModuleImports {
  file: string;
  imports: string[];
}

const SOURCE = /\.tsx?$/;
const TEST = /\.test\.tsx?$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return SOURCE.test(e.name) && !TEST.test(e.name) && !e.name.endsWith(".d.ts") ? [p] : [];
  });
}

/** `./x.js` from src/a/b.ts → src/a/x.ts (or .tsx); undefined for packages and node: modules. */
function resolve(root: string, from: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const base = path.resolve(root, path.dirname(from), specifier).replace(/\.js$/, "");
  for (const candidate of [`${base}.ts`, `${base}.tsx`, path.join(base, "index.ts")]) {
    if (existsSync(candidate)) return path.relative(root, candidate).split(path.sep).join("/");
  }
  throw new Error(`${from}: cannot resolve import "${specifier}"`);
}

/**
 * Every non-test module under `root/src` with the src/ modules it imports: static imports,
 * `import type`, `export ... from` and dynamic `import()` alike (TypeScript's own pre-processor
 * reads them, so a string that only looks like an import is not one).
 */
export function readImportGraph(root: string): ModuleImports[] {
  return sourceFiles(path.join(root, "src")).map((abs) => {
    const file = path.relative(root, abs).split(path.sep).join("/");
    const info = ts.preProcessFile(readFileSync(abs, "utf8"), true, true);
    const imports = info.importedFiles
      .map((f) => resolve(root, file, f.fileName))
      .filter((f): f is string => f !== undefined);
    return { file, imports: [...new Set(imports)] };
  });
}

/** The layer index of a module and the folder (or file) of the layer it belongs to. */
function placeOf(layers: readonly Layer[], file: string): { layer: number; home: string } | undefined {
  for (const [layer, l] of layers.entries()) {
    for (const p of l.paths) if (file === p || file.startsWith(`${p}/`)) return { layer, home: p };
  }
  return undefined;
}

/**
 * What breaks the layering: a module in no layer, an import of a higher layer, and an import of
 * another folder of the same layer (report and ui are peers: neither reads the other). Each
 * problem names both modules and both layers.
 */
export function layerViolations(graph: readonly ModuleImports[], layers: readonly Layer[]): string[] {
  const out: string[] = [];
  const name = (i: number) => layers[i]!.paths.join(", ");
  for (const m of graph) {
    const from = placeOf(layers, m.file);
    if (!from) {
      out.push(`${m.file} is in no layer (add its folder to test/layers.ts)`);
      continue;
    }
    for (const target of m.imports) {
      const to = placeOf(layers, target);
      if (!to) continue; // reported as its own module
      if (to.home === from.home || to.layer < from.layer) continue;
      out.push(
        to.layer > from.layer
          ? `${m.file} imports ${target}: layer ${from.layer + 1} (${name(from.layer)}) may not import layer ${to.layer + 1} (${name(to.layer)})`
          : `${m.file} imports ${target}: ${from.home} and ${to.home} share layer ${from.layer + 1}, so neither imports the other`,
      );
    }
  }
  return out;
}

/**
 * Import cycles between modules (strongly connected components of more than one module, or a
 * module importing itself), each listed as the path that closes it: a → b → c → a.
 */
export function importCycles(graph: readonly ModuleImports[]): string[][] {
  const edges = new Map(graph.map((m) => [m.file, m.imports]));
  // Tarjan's strongly connected components, iterative so a deep graph cannot overflow the stack.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let next = 0;
  for (const start of edges.keys()) {
    if (index.has(start)) continue;
    const work: Array<{ node: string; i: number }> = [{ node: start, i: 0 }];
    index.set(start, next);
    low.set(start, next++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const targets = edges.get(frame.node) ?? [];
      if (frame.i < targets.length) {
        const t = targets[frame.i++]!;
        if (!edges.has(t)) continue;
        if (!index.has(t)) {
          index.set(t, next);
          low.set(t, next++);
          stack.push(t);
          onStack.add(t);
          work.push({ node: t, i: 0 });
        } else if (onStack.has(t)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(t)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let n: string;
        do {
          n = stack.pop()!;
          onStack.delete(n);
          component.push(n);
        } while (n !== frame.node);
        const selfLoop = component.length === 1 && (edges.get(n) ?? []).includes(n);
        if (component.length > 1 || selfLoop) components.push(component);
      }
    }
  }
  return components.map((c) => cyclePath(c, edges));
}

/** One cycle through a component, found by a breadth-first walk back to its first module. */
function cyclePath(component: string[], edges: Map<string, string[]>): string[] {
  const members = new Set(component);
  const start = [...component].sort()[0]!;
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const t of edges.get(node) ?? []) {
      if (!members.has(t)) continue;
      if (t === start) {
        const cycle = [start];
        for (let n = node; n !== start; n = previous.get(n)!) cycle.splice(1, 0, n);
        return [...cycle, start];
      }
      if (!previous.has(t)) {
        previous.set(t, node);
        queue.push(t);
      }
    }
  }
  return [start, start];
}

/** Modules no entry point reaches: code that only tests use belongs in test/helpers. */
export function unreachableModules(graph: readonly ModuleImports[], entries: readonly string[]): string[] {
  const edges = new Map(graph.map((m) => [m.file, m.imports]));
  const seen = new Set<string>();
  const queue = [...entries];
  while (queue.length > 0) {
    const n = queue.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    queue.push(...(edges.get(n) ?? []));
  }
  return graph.map((m) => m.file).filter((f) => !seen.has(f));
}
