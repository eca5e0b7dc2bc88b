// Child processes of the bench: the simulator (never probed) and clients (probed).
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import { clearTimeout, setTimeout } from "node:timers";

export const ROOT = path.resolve(import.meta.dirname, "..");
/** The CLI under test; GAUNTLET_BENCH_BIN points the bench at another build (e.g. a baseline checkout). */
export const BIN = process.env.GAUNTLET_BENCH_BIN ?? path.join(ROOT, "bin/gauntlet.js");
const PROBE = path.join(ROOT, "bench/probe.mjs");

/**
 * Starts `gauntlet sim` on 127.0.0.1, port 0, in its own process. Resolves with its URL and a stop()
 * that waits for the ground-truth log to be flushed.
 * @param {string[]} args
 */
export function startSim(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, "sim", "--port", "0", "--host", "127.0.0.1", ...args], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d.toString()));
    const exited = new Promise((r) => child.once("exit", () => r(undefined)));
    child.once("exit", (code) => reject(new Error(`sim exited early (${code}): ${stderr}`)));
    createInterface({ input: child.stdout }).once("line", (line) => {
      const m = /listening on (\S+)/.exec(line);
      if (!m) return reject(new Error(`unexpected sim output: ${line}`));
      resolve({
        url: m[1],
        pid: child.pid,
        stop: async () => {
          child.kill("SIGTERM");
          await exited;
        },
      });
    });
  });
}

/**
 * Runs a node script as a probed client process; resolves with its exit code, stdout, stderr and
 * the probe's samples.
 * @param {string[]} args node arguments after the probe
 * @param {string} probeFile where the probe writes
 * @param {number} timeoutMs killed (SIGKILL) past this
 */
export function runProbed(args, probeFile, timeoutMs) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", PROBE, ...args], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: "1", CI: "1", BENCH_PROBE_OUT: probeFile },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d.toString()));
    child.stderr.on("data", (d) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", async (code) => {
      clearTimeout(timer);
      let probe;
      try {
        probe = JSON.parse(await readFile(probeFile, "utf8"));
      } catch {
        probe = { samples: [], maxRssKb: 0 };
      }
      resolve({ code, stdout, stderr, probe });
    });
  });
}
