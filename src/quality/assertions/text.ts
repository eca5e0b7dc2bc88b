import type { PlanAssertion } from "../../config/plan-assertions.js";
import { binary, norm, quote, type Check } from "../assertion-types.js";
import { boundedRegexTest, RegexTimeoutError } from "../bounded-regex.js";

const text = (a: PlanAssertion) => String(a.value);

/** String assertions: exact, substring, prefix, regex and one-of, all pass/fail. */
export const TEXT_CHECKS = {
  equals: (out, a, ctx) => {
    const pass = norm(out, a) === norm(text(a), a);
    return binary(
      pass,
      pass
        ? "output equals expected"
        : `expected ${quote(text(a), ctx.redact)}, got ${quote(out, ctx.redact)}`,
    );
  },
  contains: (out, a, ctx) => {
    const pass = norm(out, a).includes(norm(text(a), a));
    return binary(pass, `${pass ? "contains" : "does not contain"} ${quote(text(a), ctx.redact)}`);
  },
  icontains: (out, a, ctx) => {
    const pass = norm(out, a)
      .toLowerCase()
      .includes(norm(text(a), a).toLowerCase());
    return binary(pass, `${pass ? "contains" : "does not contain"} ${quote(text(a), ctx.redact)} (any case)`);
  },
  "starts-with": (out, a, ctx) => {
    const pass = norm(out, a).startsWith(norm(text(a), a));
    return binary(pass, `${pass ? "starts" : "does not start"} with ${quote(text(a), ctx.redact)}`);
  },
  regex: (out, a) => {
    // Time-bounded: a pattern that backtracks catastrophically fails the assertion, never the run.
    try {
      const pass = boundedRegexTest(text(a), a.caseInsensitive ? "i" : "", a.trim ? out.trim() : out);
      return binary(pass, `${pass ? "matches" : "does not match"} /${text(a)}/`);
    } catch (err) {
      if (err instanceof RegexTimeoutError) return binary(false, err.message);
      throw err;
    }
  },
  "one-of": (out, a, ctx) => {
    const options = (a.value as string[]).map((v) => norm(v, a));
    const pass = options.includes(norm(out, a));
    return binary(
      pass,
      pass
        ? "output is one of the options"
        : `got ${quote(out, ctx.redact)}, not one of ${options.join(", ")}`,
    );
  },
} satisfies Record<string, Check>;
