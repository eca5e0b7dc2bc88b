/**
 * One colour per target (or target and variant) for every chart of a report, so a series reads
 * the same in each. Colour-blind-safe hues (Okabe and Ito's set, then darker ones); none of them is
 * MARKER_COLOUR, which marks capacities, margins and offered load, nor the PASS and FAIL colours.
 */
const HUES = [
  "#0072b2",
  "#e69f00",
  "#009e73",
  "#cc79a7",
  "#56b4e9",
  "#d55e00",
  "#8c6d31",
  "#6a3d9a",
  "#17becf",
  "#7f7f7f",
];

/** Markers (capacity at SLO, margins, offered load): a colour no series is given. */
export const MARKER_COLOUR = "#111111";
export const PASS_COLOUR = "#1a7f37";
export const FAIL_COLOUR = "#cf222e";

/** A key's colour, from the key's place in the run's list; keys outside it get the next free hue. */
export type Palette = (key: string) => string;

/** The palette of a run: `keys` in their report order (targets first, then variants). */
export function createPalette(keys: readonly string[]): Palette {
  const order = [...new Set(keys)];
  return (key) => {
    let i = order.indexOf(key);
    if (i < 0) i = order.push(key) - 1;
    return HUES[i % HUES.length] as string;
  };
}

/** Line styles that tell apart several series of one target in a chart (p50 against p95, kinds). */
export const DASHES = ["", "6 4", "2 3", "8 3 2 3", "1 5", "10 5"] as const;
