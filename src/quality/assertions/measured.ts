import { binary, type Check, type CheckVerdict } from "../assertion-types.js";

// The first number in the text: optional sign (not glued to a word, so "COVID-19" gives 19),
// thousands separators ("1,234.5"), decimals and an exponent.
const FIRST_NUMBER =
  /(?:(?<![\p{L}\p{N}])[-+\u2212])?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?/u;

/** The first number written in `text`, or undefined when there is none. */
export function firstNumber(text: string): number | undefined {
  const m = FIRST_NUMBER.exec(text);
  if (!m) return undefined;
  const n = Number(m[0].replace(/,/g, "").replace("\u2212", "-"));
  return Number.isFinite(n) ? n : undefined;
}

const ms = (v: number) => `${Math.round(v * 10) / 10} ms`;

function latencyCheck(limits: Array<["ttft" | "e2e", number | undefined, number | undefined]>): CheckVerdict {
  const parts: string[] = [];
  let pass = true;
  for (const [name, limit, measured] of limits) {
    if (limit === undefined) continue;
    if (measured === undefined) {
      pass = false;
      parts.push(`no ${name} measured${name === "ttft" ? " (not streamed?)" : ""}`);
      continue;
    }
    const ok = measured <= limit;
    pass &&= ok;
    parts.push(`${name} ${ms(measured)} ${ok ? "<=" : ">"} ${ms(limit)}`);
  }
  return binary(pass, parts.join(", "));
}

/** Numeric and measured assertions: a number in the output, this request's latency and cost. */
export const MEASURED_CHECKS = {
  number: (out, a) => {
    const expected = a.value as number;
    const found = firstNumber(out);
    const allowed = Math.max(a.tolerance ?? 0, (a.relativeTolerance ?? 0) * Math.abs(expected));
    const within = allowed > 0 ? ` ± ${allowed}` : "";
    if (found === undefined) return binary(false, `no number in the output (expected ${expected}${within})`);
    // Float slack, so 0.1 + 0.2 still equals 0.3 with no tolerance.
    const pass = Math.abs(found - expected) <= allowed + 1e-9 * Math.max(1, Math.abs(expected));
    return binary(pass, `found ${found}, expected ${expected}${within}`);
  },
  latency: (_out, a, ctx) =>
    latencyCheck([
      ["ttft", a.ttftMs, ctx.ttftMs],
      ["e2e", a.e2eMs, ctx.e2eMs],
    ]),
  cost: (_out, a, ctx) => {
    const limit = a.value as number;
    if (ctx.costUsd === undefined) return binary(false, "no cost: the target has no token pricing or usage");
    const pass = ctx.costUsd <= limit;
    return binary(pass, `cost $${ctx.costUsd.toPrecision(3)} ${pass ? "<=" : ">"} $${limit}`);
  },
} satisfies Record<string, Check>;
