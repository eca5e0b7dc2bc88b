import type { Page } from "playwright-core";

/**
 * Checks of a rendered report.html read from the DOM and its layout (bounding boxes, computed
 * styles), never from the HTML string. Each returns the problems it found, one line each, empty
 * when the page is right; test/browser/checks.test.ts feeds each a page with the defect it is for.
 */

/** Every chart has an x and a y axis label, each naming its unit in parentheses. */
export function axisLabelProblems(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll("svg[data-chart]")].flatMap((svg) => {
      const id = svg.getAttribute("data-chart");
      return ["x", "y"].flatMap((axis) => {
        const label = svg.querySelector(`[data-axis-label="${axis}"]`);
        const text = label?.textContent?.trim() ?? "";
        const box = label?.getBoundingClientRect();
        if (!label || !text) return [`${id}: no ${axis} axis label`];
        if (!/\([^)]+\)/.test(text)) return [`${id}: ${axis} axis label "${text}" names no unit`];
        if (!box || box.width === 0 || box.height === 0) return [`${id}: ${axis} axis label is not shown`];
        return [];
      });
    }),
  );
}

/** No legend overlaps the plot area, nor any plotted series' box or points. */
export function legendOverlapProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const overlap = (a: DOMRect, b: DOMRect) =>
      a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
    return [...document.querySelectorAll("svg[data-chart]")].flatMap((svg) => {
      const id = svg.getAttribute("data-chart");
      const legends = [...svg.querySelectorAll("[data-legend-item]")];
      const plot = svg.querySelector("[data-plot-area]")?.getBoundingClientRect();
      const plotted = [
        ...svg.querySelectorAll("[data-series] polyline, [data-series] circle, [data-series] line"),
      ];
      return legends.flatMap((item) => {
        const box = item.getBoundingClientRect();
        const name = item.textContent ?? "";
        if (plot && overlap(box, plot)) return [`${id}: legend "${name}" lies inside the plot area`];
        const hit = plotted.find((el) => overlap(box, el.getBoundingClientRect()));
        return hit
          ? [
              `${id}: legend "${name}" overlaps series ${hit.closest("[data-series]")?.getAttribute("data-series")}`,
            ]
          : [];
      });
    });
  });
}

/**
 * A series key (target, or target and variant) has one colour in every chart and in every legend,
 * and no target's colour is the marker colour (capacity, margins, offered load).
 */
export function colourProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const seen = new Map<string, Map<string, string>>();
    const note = (key: string, colour: string, where: string) => {
      if (!colour || colour === "none") return;
      const byColour = seen.get(key) ?? new Map<string, string>();
      if (!byColour.has(colour)) byColour.set(colour, where);
      seen.set(key, byColour);
    };
    for (const svg of document.querySelectorAll("svg[data-chart]")) {
      const id = svg.getAttribute("data-chart") ?? "";
      for (const g of svg.querySelectorAll("[data-series]")) {
        const key = g.getAttribute("data-series") ?? "";
        for (const el of g.querySelectorAll("polyline, line")) note(key, getComputedStyle(el).stroke, id);
        for (const el of g.querySelectorAll("circle")) note(key, getComputedStyle(el).fill, id);
      }
      for (const item of svg.querySelectorAll("[data-legend-item]")) {
        const key = item.getAttribute("data-legend-item") ?? "";
        if (key === "marker") continue;
        const line = item.querySelector("line");
        if (line) note(key, getComputedStyle(line).stroke, `${id} legend`);
      }
    }
    const problems = [...seen]
      .filter(([, colours]) => colours.size > 1)
      .map(
        ([key, colours]) =>
          `series ${key} has ${colours.size} colours: ${[...colours].map(([c, where]) => `${c} in ${where}`).join(", ")}`,
      );
    const marker = [...document.querySelectorAll("[data-marker] line")].map(
      (el) => getComputedStyle(el).stroke,
    );
    for (const [key, colours] of seen)
      for (const c of colours.keys())
        if (key !== "offered" && marker.includes(c))
          problems.push(`series ${key} has the marker colour ${c}`);
    return problems;
  });
}

/** Nothing is wider than the page, and no chart is wider than its container. */
export function overflowProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth)
      problems.push(`the page scrolls sideways: ${root.scrollWidth} px of content in ${root.clientWidth} px`);
    for (const svg of document.querySelectorAll("svg[data-chart]")) {
      const box = svg.getBoundingClientRect();
      const parent = svg.parentElement?.getBoundingClientRect();
      if (parent && box.width > parent.width + 1)
        problems.push(
          `${svg.getAttribute("data-chart")}: ${box.width.toFixed(0)} px wide in a ${parent.width.toFixed(0)} px container`,
        );
      if (box.right > root.clientWidth + 1)
        problems.push(`${svg.getAttribute("data-chart")}: runs past the page's right edge`);
    }
    return problems;
  });
}

/**
 * The verdict reads PASS or FAIL as a word (not an emoji alone) in the page's heading, and every
 * failing row is coloured apart from the rows that passed.
 */
export function statusProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const heading = document.querySelector("h1")?.textContent ?? "";
    if (!/\b(PASS|FAIL)\b/.test(heading))
      problems.push(`the heading "${heading.trim()}" says neither PASS nor FAIL`);
    const plain = getComputedStyle(document.body).backgroundColor;
    for (const row of document.querySelectorAll("tr")) {
      const text = row.textContent ?? "";
      const fails = row.querySelector(".badge.fail") !== null;
      const cell = row.querySelector("td");
      if (!fails || !cell) continue;
      const bg = getComputedStyle(cell).backgroundColor;
      if (bg === plain || bg === "rgba(0, 0, 0, 0)")
        problems.push(`a failing row is not coloured: "${text.slice(0, 60)}"`);
    }
    for (const cell of document.querySelectorAll("td, h1, h2, h3")) {
      const text = (cell.textContent ?? "").trim();
      if (/^[\u2705\u274c\u23ed\u2713\u2717]\uFE0F?$/u.test(text))
        problems.push(`a status shown as an emoji alone: "${text}"`);
    }
    return problems;
  });
}

/** Every check over one page, by name. */
export const CHECKS = {
  axisLabels: axisLabelProblems,
  legendOverlap: legendOverlapProblems,
  colours: colourProblems,
  overflow: overflowProblems,
  status: statusProblems,
} as const;
