import { mkdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, runCli } from "../helpers/cli.js";
import { launchBrowser } from "./browser.js";
import { CHECKS } from "./layout-checks.js";

/** Where CI keeps what the test saw: the run, and a PNG per section of its report. */
export const ARTIFACTS = path.join(ROOT, "test-artifacts/browser");
const SUITE = path.join(ROOT, "test/browser/fixtures/report.yaml");
/**
 * `npm run docs:screenshots` sets this: the sections' PNGs are copied to docs/report/ for README
 * (all but the tables of the last section, which are summary.md's).
 */
const DOCS = process.env.GAUNTLET_DOCS_SCREENSHOTS ? path.join(ROOT, "docs/report") : undefined;

let browser: Browser;
let page: Page;
let sections: string[] = [];

beforeAll(async () => {
  // The browser first: where it cannot start, say so before spending a minute on the run.
  browser = await launchBrowser();
  await rm(ARTIFACTS, { recursive: true, force: true });
  await mkdir(ARTIFACTS, { recursive: true });
  const out = path.join(ARTIFACTS, "run");
  const r = await runCli(["run", SUITE, "--out", out], { timeoutMs: 240_000 });
  // Thresholds fail on purpose (exit 99): the report must show failures.
  expect(r.code, r.stderr).toBe(99);
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`file://${path.join(out, "report.html")}`);
  sections = await page.$$eval("[data-section]", (els) =>
    els.map((e) => e.getAttribute("data-section") ?? ""),
  );
}, 300_000);

/** The sections for README, at 3/4 scale so each PNG stays small (about 150 KB) and still reads. */
async function docsScreenshots(folder: string): Promise<void> {
  await mkdir(folder, { recursive: true });
  const docs = await browser.newPage({ viewport: { width: 1400, height: 900 }, deviceScaleFactor: 0.75 });
  await docs.goto(page.url());
  for (const id of sections.filter((s) => s !== "details"))
    await docs.locator(`[data-section="${id}"]`).screenshot({ path: path.join(folder, `${id}.png`) });
  await docs.close();
}

afterAll(async () => {
  await browser?.close();
});

describe("report.html in headless Chromium at 1400 px", () => {
  it("has every section the run covers, and a PNG of each under test-artifacts/browser", async () => {
    for (const id of [
      "summary",
      "decision",
      "throughput",
      "phase-steady",
      "phase-poisson",
      "phase-ramp",
      "phase-users",
      "quality",
      "errors",
      "details",
    ])
      expect(sections).toContain(id);
    for (const [i, id] of sections.entries()) {
      const file = path.join(ARTIFACTS, `${String(i).padStart(2, "0")}-${id}.png`);
      await page.locator(`[data-section="${id}"]`).screenshot({ path: file });
      expect((await readFile(file)).subarray(1, 4).toString()).toBe("PNG");
    }
    if (DOCS) await docsScreenshots(DOCS);
  });

  it("run.json records what the charts of offered load and in-flight requests read", async () => {
    const run = JSON.parse(await readFile(path.join(ARTIFACTS, "run/run.json"), "utf8")) as {
      phases: Array<{
        phase: string;
        load?: { kind: string };
        timeline?: { buckets: Array<{ inFlightUs?: number }> };
      }>;
    };
    const steady = run.phases.filter((p) => p.phase === "steady");
    expect(steady.map((p) => p.load?.kind)).toEqual(["closed", "closed", "closed"]);
    expect(steady.every((p) => p.timeline?.buckets.some((b) => (b.inFlightUs ?? 0) > 0))).toBe(true);
  });

  it.each(Object.keys(CHECKS) as Array<keyof typeof CHECKS>)("%s: no problem", async (name) => {
    expect(await CHECKS[name](page)).toEqual([]);
  });

  it("lays charts out two per row, each at most half the page, with a legend under its plot", async () => {
    const rows = await page.$$eval("#phase-steady .charts > figure", (figs) =>
      figs.map((f) => Math.round(f.getBoundingClientRect().top)),
    );
    expect(rows.length).toBeGreaterThanOrEqual(6);
    expect(rows[0]).toBe(rows[1]);
    const widths = await page.$$eval("svg[data-chart]", (svgs) =>
      svgs.map((s) => s.getBoundingClientRect().width),
    );
    expect(Math.max(...widths)).toBeLessThanOrEqual(700);
  });

  it("shows PASS and FAIL as words, and every chart's title to assistive technology", async () => {
    expect(await page.locator("h1 .badge").textContent()).toBe("FAIL");
    expect(await page.locator(".badge.pass").count()).toBeGreaterThan(0);
    const untitled = await page.$$eval(
      "svg[data-chart]",
      (svgs) =>
        svgs.filter((s) => !document.getElementById(s.getAttribute("aria-labelledby") ?? "")?.textContent)
          .length,
    );
    expect(untitled).toBe(0);
  });

  it("narrow and printed, one chart per row and still nothing wider than the page", async () => {
    const narrow = await browser.newPage({ viewport: { width: 900, height: 900 } });
    await narrow.goto(page.url());
    const tops = await narrow.$$eval("#phase-steady .charts > figure", (f) =>
      f.map((x) => x.getBoundingClientRect().top),
    );
    expect(tops[1]).toBeGreaterThan(tops[0] ?? Infinity);
    expect(await CHECKS.overflow(narrow)).toEqual([]);
    await narrow.setViewportSize({ width: 1400, height: 900 });
    await narrow.emulateMedia({ media: "print" });
    const columns = await narrow.$eval(
      "#phase-steady .charts",
      (g) => getComputedStyle(g).gridTemplateColumns.split(" ").length,
    );
    expect(columns).toBe(1);
    await narrow.close();
  });
});
