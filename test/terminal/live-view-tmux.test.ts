import { execFile } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, ROOT, tempDir, writeTemp } from "../helpers/cli.js";

const exec = promisify(execFile);

/** Frames captured here are kept for people to look at (CI keeps test-artifacts/). */
const FRAMES = path.join(ROOT, "test-artifacts", "tmux");
const COLUMNS = 100;
const ROWS = 30;

const tmux = (...args: string[]) => exec("tmux", args, { timeout: 10_000 });

/**
 * The live view in a real terminal: the built CLI runs in a tmux pane of 100×30 cells, as a person
 * would run it, and the pane is captured as it draws. tmux is a test dependency (.ci/run installs
 * it); where it is missing the test fails saying so, never passes.
 */
describe("the live view in a real terminal (tmux, 100×30)", () => {
  const session = `gauntlet-live-${process.pid}`;
  const frames: string[] = [];
  let finalFrame = "";

  beforeAll(async () => {
    await tmux("-V").catch((err: unknown) => {
      throw new Error(`tmux is needed for this test and could not start: ${String(err)}`);
    });
    const dir = await tempDir();
    const suite = await writeTemp(
      dir,
      "suite.yaml",
      `version: 1
name: tmux-demo
targets:
  sim: { provider: sim, model: m, sim: { ttft_ms: 60, itl_ms: 10, output_tokens: 24 } }
prompts: { p: "hello" }
cases: [{ id: a, prompt: p }, { id: b, prompt: p }]
load:
  - { name: users, concurrency: 4, duration: 3s }
  - { name: poisson, rate: 20, arrival: poisson, duration: 3s }
`,
    );
    await tmux("kill-session", "-t", session).catch(() => undefined);
    // remain-on-exit keeps the pane after the run, so its last frame (the summary) can be read.
    const command = `cd ${ROOT} && env -u CI NO_COLOR=1 ${process.execPath} ${BIN} run ${suite} --out ${path.join(dir, "out")} --heartbeat 1s`;
    await tmux("new-session", "-d", "-s", session, "-x", String(COLUMNS), "-y", String(ROWS), command);
    await tmux("set-option", "-t", session, "remain-on-exit", "on");
    const until = Date.now() + 90_000;
    for (;;) {
      const pane = await tmux("display-message", "-p", "-t", session, "#{pane_dead}");
      const { stdout } = await tmux("capture-pane", "-p", "-t", session);
      if (pane.stdout.trim() === "1") {
        finalFrame = (await tmux("capture-pane", "-p", "-S", "-", "-t", session)).stdout;
        break;
      }
      if (frames.at(-1) !== stdout) frames.push(stdout);
      if (Date.now() > until) throw new Error("the run did not finish in 90 s");
      await new Promise((r) => setTimeout(r, 250));
    }
    await mkdir(FRAMES, { recursive: true });
    await Promise.all(
      [...frames, finalFrame].map((f, i) =>
        writeFile(path.join(FRAMES, `frame-${String(i).padStart(3, "0")}.txt`), f),
      ),
    );
  }, 120_000);
  afterAll(async () => {
    await tmux("kill-session", "-t", session).catch(() => undefined);
  });

  it("draws a header with elapsed and planned time and each phase's shape, offered load and in-flight", () => {
    const live = frames.filter((f) => f.includes("gauntlet · tmux-demo ·"));
    expect(live.length).toBeGreaterThan(2);
    expect(live.some((f) => /\d+s elapsed of ~6s planned load · load phases [0-2]\/2/.test(f))).toBe(true);
    expect(live.some((f) => f.includes("  closed loop, 4 users, for 3s · 4 users,"))).toBe(true);
    expect(
      live.some((f) =>
        /open loop, 20\/s, poisson arrivals, for 3s · 20\.0\/s offered, [\d.]+ sent, [\d.]+ done · \d+ in flight/.test(
          f,
        ),
      ),
    ).toBe(true);
    // The quality row counts cases, and the load rows their requests.
    expect(live.some((f) => f.includes("sim/quality") && f.includes("2/2"))).toBe(true);
  });

  it("never wraps or overflows the 100 columns", () => {
    for (const f of frames)
      for (const line of f.split("\n")) expect(line.length).toBeLessThanOrEqual(COLUMNS);
  });

  it("ends with the summary once the run is done", () => {
    expect(finalFrame).toContain("sim     poisson");
    expect(finalFrame).toMatch(/reports: /);
  });
});
