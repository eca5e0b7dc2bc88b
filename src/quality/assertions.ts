import type { AssertionType } from "../config/schema.js";
import type { PlanAssertion } from "../config/plan.js";
import { boundedRegexTest, RegexTimeoutError } from "./bounded-regex.js";

export interface AssertionResult {
  type: AssertionType;
  /** 0..1, after `not` is applied. */
  score: number;
  pass: boolean;
  /** Why, in words a person reads in a report. */
  reason: string;
}

type Check = (output: string, a: PlanAssertion) => { pass: boolean; reason: string };

function norm(text: string, a: PlanAssertion): string {
  let t = a.trim ? text.trim().replace(/\s+/g, " ") : text;
  if (a.caseInsensitive) t = t.toLowerCase();
  return t;
}

const quote = (s: string) => JSON.stringify(s.length > 80 ? s.slice(0, 80) + "…" : s);

/** One checker per assertion type; the Record makes the compiler demand a handler for each. */
export const ASSERTIONS: Record<AssertionType, Check> = {
  equals: (out, a) => {
    const pass = norm(out, a) === norm(String(a.value), a);
    return {
      pass,
      reason: pass ? "output equals expected" : `expected ${quote(String(a.value))}, got ${quote(out)}`,
    };
  },
  contains: (out, a) => {
    const pass = norm(out, a).includes(norm(String(a.value), a));
    return { pass, reason: `${pass ? "contains" : "does not contain"} ${quote(String(a.value))}` };
  },
  icontains: (out, a) => {
    const pass = norm(out, a)
      .toLowerCase()
      .includes(norm(String(a.value), a).toLowerCase());
    return { pass, reason: `${pass ? "contains" : "does not contain"} ${quote(String(a.value))} (any case)` };
  },
  "starts-with": (out, a) => {
    const pass = norm(out, a).startsWith(norm(String(a.value), a));
    return { pass, reason: `${pass ? "starts" : "does not start"} with ${quote(String(a.value))}` };
  },
  regex: (out, a) => {
    // Time-bounded: a pattern that backtracks catastrophically fails the assertion, never the run.
    try {
      const pass = boundedRegexTest(String(a.value), a.caseInsensitive ? "i" : "", a.trim ? out.trim() : out);
      return { pass, reason: `${pass ? "matches" : "does not match"} /${String(a.value)}/` };
    } catch (err) {
      if (err instanceof RegexTimeoutError) return { pass: false, reason: err.message };
      throw err;
    }
  },
  "one-of": (out, a) => {
    const options = (a.value as string[]).map((v) => norm(v, a));
    const pass = options.includes(norm(out, a));
    return {
      pass,
      reason: pass ? "output is one of the options" : `got ${quote(out)}, not one of ${options.join(", ")}`,
    };
  },
};

export function runAssertion(output: string, a: PlanAssertion): AssertionResult {
  const { pass: raw, reason } = ASSERTIONS[a.type](output, a);
  const pass = a.not ? !raw : raw;
  return { type: a.type, score: pass ? 1 : 0, pass, reason: a.not ? `not: ${reason}` : reason };
}
