// Dataset: a CSV of 1,000,000 rows (200,000 with --quick) read by the dataset reader, then the
// whole `validate` of a suite whose cases come from it, each in its own process so peak RSS is its
// own. The raw figure is the floor: Node reading the file and splitting it into lines and fields.
import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { BIN } from "../processes.mjs";

const DIST = path.join(path.dirname(BIN), "../dist");

/** Runs an ES module snippet in a fresh node; resolves with the JSON it prints last. */
function measure(code) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", code], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d.toString()));
    child.on("error", reject);
    child.on("close", (status) => {
      const last = out.trim().split("\n").pop() ?? "";
      if (status !== 0) return reject(new Error(`exit ${status}: ${last}`));
      resolve(JSON.parse(last));
    });
  });
}

async function writeRows(file, rows) {
  const out = createWriteStream(file);
  const write = (s) => (out.write(s) ? undefined : new Promise((r) => out.once("drain", r)));
  await write("id,question,label\n");
  for (let i = 0; i < rows; i++)
    await write(
      `q${i},"Where is parcel ${i}, ordered on day ${i % 365}? It says ""shipped"".",label${i % 7}\n`,
    );
  await new Promise((resolve) => out.end(resolve));
}

/** @returns {Promise<object[]>} result rows */
export async function dataset({ dir, quick }) {
  const rows = quick ? 200_000 : 1_000_000;
  const folder = path.join(dir, "dataset");
  await mkdir(folder, { recursive: true });
  const csv = path.join(folder, "rows.csv");
  const suite = path.join(folder, "suite.yaml");
  await writeRows(csv, rows);
  await writeFile(
    suite,
    'version: 1\nname: dataset-bench\ntargets:\n  a: { provider: sim }\nprompts:\n  p: "{{question}}"\ncases:\n  - from: rows.csv\n    prompt: p\n    assert: [{ equals: "{{label}}" }]\n',
  );
  const rss = "process.resourceUsage().maxRSS / 1024";
  const read = await measure(`
    const { readDataset } = await import(${JSON.stringify(path.join(DIST, "config/dataset.js"))});
    const t = performance.now();
    const r = await readDataset(${JSON.stringify(csv)});
    if (r.issues.length || r.rows.length !== ${rows}) throw new Error(JSON.stringify(r.issues));
    console.log(JSON.stringify({ s: (performance.now() - t) / 1000, mb: ${rss} }));`);
  const floor = await measure(`
    const { readFileSync } = await import("node:fs");
    const t = performance.now();
    let fields = 0;
    for (const line of readFileSync(${JSON.stringify(csv)}, "utf8").split("\\n")) fields += line.split(",").length;
    console.log(JSON.stringify({ s: (performance.now() - t) / 1000, mb: ${rss}, fields }));`);
  const validate = await measure(`
    const { main } = await import(${JSON.stringify(path.join(DIST, "cli/main.js"))});
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = () => true;
    const t = performance.now();
    const code = await main(["node", "gauntlet", "validate", ${JSON.stringify(suite)}]);
    process.stdout.write = write;
    if (code !== 0) throw new Error("validate exited " + code);
    console.log(JSON.stringify({ s: (performance.now() - t) / 1000, mb: ${rss} }));`);
  await rm(folder, { recursive: true, force: true });
  const n = rows.toLocaleString("en-US");
  return [
    {
      scenario: "dataset",
      figure: `read ${n} CSV rows (s)`,
      gauntlet: read.s,
      raw: floor.s,
      target: "< 5",
      pass: read.s < 5,
    },
    {
      scenario: "dataset",
      figure: "its peak RSS (MB)",
      gauntlet: read.mb,
      raw: floor.mb,
      target: "(info)",
      digits: 0,
    },
    {
      scenario: "dataset",
      figure: `validate with ${n} cases (s)`,
      gauntlet: validate.s,
      target: "< 20",
      pass: validate.s < 20,
    },
    { scenario: "dataset", figure: "its peak RSS (MB)", gauntlet: validate.mb, target: "(info)", digits: 0 },
  ];
}
