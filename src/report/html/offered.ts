import type { OfferedLoad } from "../../record/aggregate.js";
import type { XyPoint } from "./xy-chart.js";

const n = (x: number) => String(Number(x.toFixed(3)));
const s = (x: number) => `${n(x)}s`;

/** Users or req/s: what a phase's figures count. */
export const loadUnit = (l: OfferedLoad) => (l.rate !== undefined ? "req/s" : "users");

/**
 * What a phase was asked to offer, in one line: `8 users for 5s`, `40 req/s for 5s`,
 * `0 → 16 users over 2s → 4 users over 1s, for 3s`, with its request cap, in-flight cap and warmup.
 */
export function offeredText(l: OfferedLoad): string {
  if (l.kind === "replay")
    return `replay of ${l.requests ?? "?"} trace rows over ${s(l.durationS ?? 0)}${l.maxInFlight !== undefined ? `, at most ${l.maxInFlight} in flight` : ""}`;
  const unit = loadUnit(l);
  const start = l.rate ?? l.users;
  const shape =
    start === undefined
      ? l.kind
      : [
          `${n(start)} ${unit}`,
          ...(l.stages ?? []).map((st) => `${n(st.to)} ${unit} over ${s(st.overS)}`),
        ].join(" → ");
  const ends = [
    l.durationS !== undefined ? `for ${s(l.durationS)}` : "",
    l.requests !== undefined ? `${l.requests} requests` : "",
  ].filter(Boolean);
  return [
    shape,
    ends.join(" or "),
    l.maxInFlight !== undefined ? `at most ${l.maxInFlight} in flight` : "",
    l.warmupS !== undefined ? `warmup ${s(l.warmupS)}` : "",
  ]
    .filter(Boolean)
    .join(", ");
}

/**
 * The offered users or rate over the phase (seconds from its start): a ramp's corners, then held
 * to its duration. Undefined when the plan did not record a users or rate figure.
 */
export function offeredCurve(l: OfferedLoad): XyPoint[] | undefined {
  const start = l.rate ?? l.users;
  if (start === undefined) return undefined;
  const points: XyPoint[] = [{ x: 0, y: start }];
  let t = 0;
  for (const st of l.stages ?? []) {
    t += st.overS;
    points.push({ x: t, y: st.to });
  }
  const last = points[points.length - 1] as XyPoint;
  const end = l.durationS ?? t;
  if (end > t) points.push({ x: end, y: last.y });
  return points.length > 1 ? points : [...points, { x: Math.max(end, 1), y: start }];
}
