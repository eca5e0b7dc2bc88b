// `npm run bench`: Gauntlet's client against a minimal raw-undici SSE client, scenario by scenario,
// against the simulator in its own process on 127.0.0.1. Not a test: it prints figures, each with
// the raw client's figure for the same scenario in the same run and the ratio Gauntlet / raw; the
// replay adds a floor (bench/floor-replay.mjs: plain sockets, no HTTP client).
//   npm run bench                          every scenario at full size (several minutes)
//   npm run bench -- --quick               shorter runs, for iteration
//   npm run bench -- --only accuracy,memory
//   npm run bench -- --only dataset        1,000,000 CSV rows read and validated
//   npm run bench -- --only otlp           a 1,000-request phase without and with span export
//   npm run bench -- --only replay         a bursty trace of 10,000 requests replayed (three clients)
//   npm run bench -- --memory-requests 200000 --levels 1000,10000 --out /tmp/bench
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { accuracy } from "./scenarios/accuracy.mjs";
import { concurrency } from "./scenarios/concurrency.mjs";
import { dataset } from "./scenarios/dataset.mjs";
import { memory } from "./scenarios/memory.mjs";
import { otlp } from "./scenarios/otlp.mjs";
import { replay } from "./scenarios/replay.mjs";
import { saturation } from "./scenarios/saturation.mjs";
import { fmt } from "./stats.mjs";

const SCENARIOS = { saturation, accuracy, concurrency, memory, dataset, otlp, replay };

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    only: { type: "string" },
    out: { type: "string" },
    keep: { type: "boolean", default: false },
    "memory-requests": { type: "string" },
    levels: { type: "string" },
  },
});
const names = values.only ? values.only.split(",").map((s) => s.trim()) : Object.keys(SCENARIOS);
for (const n of names) {
  if (!SCENARIOS[n]) {
    console.error(`bench: unknown scenario ${n} (scenarios: ${Object.keys(SCENARIOS).join(", ")})`);
    process.exit(2);
  }
}
const dir = values.out ?? (await mkdtemp(path.join(os.tmpdir(), "gauntlet-bench-")));
const options = {
  dir,
  quick: values.quick,
  ...(values["memory-requests"] ? { requests: Number(values["memory-requests"]) } : {}),
  ...(values.levels ? { levels: values.levels.split(",").map(Number) } : {}),
};

const cpus = os.cpus();
console.log(
  `gauntlet bench  ${new Date().toISOString()}  node ${process.version}  ${os.platform()} ${os.arch()}`,
);
console.log(
  `${cpus.length} CPU cores (${cpus[0]?.model ?? "unknown"}), ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
);
console.log(
  `simulator in its own process on 127.0.0.1; each client in its own process; client CPU measured in the client only.`,
);
if (cpus.length <= 2)
  console.log(
    `NOTE: ${cpus.length} cores: server and client share them, so server-bound figures are lower than on separate cores.`,
  );
console.log(values.quick ? "mode: --quick (shortened scenarios)" : "mode: full");
console.log(
  `load average before: ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
console.log("");

// floor: a reference below the raw client, where a scenario has one (the replay's plain-socket sender).
const header = ["scenario", "figure", "gauntlet", "raw", "ratio g/raw", "floor", "target", "verdict"];
const all = [];
const startedMs = Date.now();
for (const name of names) {
  const t0 = Date.now();
  process.stderr.write(`bench: running ${name}...\n`);
  let rows;
  try {
    rows = await SCENARIOS[name](options);
  } catch (err) {
    rows = [
      {
        scenario: name,
        figure: `FAILED: ${err instanceof Error ? err.message : String(err)}`.slice(0, 300),
        target: "",
        pass: false,
      },
    ];
  }
  all.push(...rows);
  printTable(rows);
  // Anything else running on the box shares the cores: the load average says how quiet it was.
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
  console.log(
    `(${name}: ${((Date.now() - t0) / 1000).toFixed(0)} s; load average ${load} on ${cpus.length} cores)\n`,
  );
}
const short = all.filter((r) => r.pass === false);
console.log(
  `bench finished in ${((Date.now() - startedMs) / 1000).toFixed(0)} s; ${short.length} figure(s) short of target${short.length ? ":" : ""}`,
);
for (const r of short)
  console.log(`  SHORT  ${r.scenario}: ${r.figure} = ${cell(r.gauntlet, r.digits)} (target ${r.target})`);
if (!values.keep && !values.out) await rm(dir, { recursive: true, force: true });
else console.log(`files kept in ${dir}`);

function cell(v, digits = 2) {
  return typeof v === "number" ? fmt(v, digits) : (v ?? "");
}

function printTable(rows) {
  const body = rows.map((r) => [
    r.scenario,
    r.figure,
    cell(r.gauntlet, r.digits),
    cell(r.raw, r.digits),
    typeof r.gauntlet === "number" && typeof r.raw === "number" && r.raw !== 0
      ? fmt(r.gauntlet / r.raw, 2)
      : "",
    cell(r.floor, r.digits),
    r.target ?? "",
    r.pass === undefined ? "" : r.pass ? "ok" : "SHORT",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => String(b[i]).length)));
  const line = (cells) =>
    cells
      .map((c, i) => (i < 2 || i === 6 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i])))
      .join("  ");
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const b of body) console.log(line(b));
}
