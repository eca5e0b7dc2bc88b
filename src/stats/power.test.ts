import { describe, expect, it } from "vitest";
import { readFixture } from "../../test/helpers/stats-fixtures.js";
import { casesNeeded, detectableDrop, powerNote } from "./power.js";
import { mcnemarExact } from "./proportions.js";

interface Fixture {
  detectable: Array<{
    n: number;
    discordance: number;
    alpha: number;
    power: number;
    detectableDrop: number | null;
  }>;
  needed: Array<{ drop: number; discordance: number; alpha: number; power: number; casesExact: number }>;
}
const fixture = readFixture<Fixture>("power.computed.json");

const logChoose = (n: number, k: number) => {
  let s = 0;
  for (let i = 1; i <= k; i++) s += Math.log((n - k + i) / i);
  return s;
};
const binomPmf = (k: number, n: number, p: number) =>
  p === 0
    ? Number(k === 0)
    : p === 1
      ? Number(k === n)
      : Math.exp(logChoose(n, k) + k * Math.log(p) + (n - k) * Math.log1p(-p));

/** Exact power of the exact McNemar test, by enumerating discordant counts and their split. */
function exactPower(n: number, psi: number, delta: number, alpha: number): number {
  const q = (psi + delta) / (2 * psi);
  let power = 0;
  for (let m = 1; m <= n; m++) {
    const pm = binomPmf(m, n, psi);
    if (pm < 1e-15) continue;
    for (let b = 0; b <= m; b++) if (mcnemarExact(b, m - b) < alpha) power += pm * binomPmf(b, m, q);
  }
  return power;
}

describe("detectableDrop (Connor 1987)", () => {
  it.each(fixture.detectable)(
    "n=$n, discordance $discordance, alpha $alpha, power $power: $detectableDrop (SciPy brentq)",
    ({ n, discordance, alpha, power, detectableDrop: expected }) => {
      const drop = detectableDrop(n, discordance, alpha, power);
      if (expected === null) expect(drop).toBeUndefined();
      else expect(drop).toBeCloseTo(expected, 8);
    },
  );

  it.each(fixture.detectable.filter((c) => c.detectableDrop !== null && c.n >= 60 && c.alpha === 0.05))(
    "n=$n, discordance $discordance: the exact test's enumerated power at that drop is near 80%",
    ({ n, discordance, alpha }) => {
      const drop = detectableDrop(n, discordance, alpha)!;
      const power = exactPower(n, Math.max(discordance, drop), drop, alpha);
      // Connor's formula is for the asymptotic test; the exact one is a little more conservative.
      expect(power).toBeGreaterThan(0.72);
      expect(power).toBeLessThan(0.85);
    },
  );
});

describe("casesNeeded", () => {
  it.each(fixture.needed)(
    "a drop of $drop with discordance $discordance needs ceil($casesExact) cases",
    ({ drop, discordance, alpha, power, casesExact }) => {
      expect(casesNeeded(drop, discordance, alpha, power)).toBe(Math.ceil(casesExact));
    },
  );

  it.each([60, 200, 1000])("round-trips with detectableDrop at n=%i", (n) => {
    const drop = detectableDrop(n, 0.1)!;
    expect(casesNeeded(drop, 0.1)).toBe(n);
  });
});

describe("powerNote", () => {
  it("records the observed discordance and the detectable drop", () => {
    expect(powerNote(200, 20)).toEqual({
      cases: 200,
      discordance: 0.1,
      alpha: 0.05,
      power: 0.8,
      detectableDrop: expect.closeTo(0.0622767988, 8),
      method: "connor-1987",
    });
  });

  it("leaves the drop out when no difference is detectable", () => {
    expect(powerNote(3, 1).detectableDrop).toBeUndefined();
    expect(powerNote(0, 0)).toMatchObject({ cases: 0, discordance: 0 });
  });
});
