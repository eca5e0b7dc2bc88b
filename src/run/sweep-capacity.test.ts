import { describe, expect, it } from "vitest";
import type { SweepStep } from "../record/sweep.js";
import { capacityOf } from "./sweep-capacity.js";

const pct = { p50: 0, p95: 0, p99: 0 };
function step(label: string, achievedRps: number, o: Partial<SweepStep> = {}): SweepStep {
  return {
    label,
    achievedRps,
    ttftMs: pct,
    itlMs: pct,
    e2eMs: pct,
    errorRate: 0,
    sloPass: true,
    slo: [],
    ...o,
  };
}
const closed = [step("synchronous", 4.5, { concurrency: 1 }), step("saturation", 70.7, { concurrency: 128 })];

describe("capacityOf", () => {
  it("is what the highest passing rate's step served, not the rate offered", () => {
    const c = capacityOf([
      ...closed,
      step("30.00rps", 29.9, { rate: 30 }),
      step("60.00rps", 58.8, { rate: 60 }),
      step("90.00rps", 70.1, { rate: 90, sloPass: false, failures: ["served 78% of offered"] }),
    ]);
    expect(c).toEqual({
      capacityRps: 58.8,
      capacityStep: "60.00rps",
      capacityNote: "step 60.00rps, the highest passing rate, served 58.80 req/s of 60.00 req/s offered",
    });
  });

  it("is never above the saturation throughput (load-demo: 74.8 offered passed, saturation 70.7)", () => {
    const c = capacityOf([...closed, step("74.80rps", 72.3, { rate: 74.8 })]);
    expect(c.capacityRps).toBe(70.7);
    expect(c.capacityNote).toMatch(/^capped at the saturation throughput; step 74.80rps/);
  });

  it("is never above the rate offered", () => {
    expect(capacityOf([...closed, step("50.00rps", 50.2, { rate: 50 })]).capacityRps).toBe(50);
  });

  it("says which rule failed at the lowest rate when none passed", () => {
    const c = capacityOf([
      ...closed,
      step("20.00rps", 19, {
        rate: 20,
        sloPass: false,
        failures: ["ttft.p95 observed 180ms, limit < 150ms"],
      }),
      step("10.00rps", 9.2, {
        rate: 10,
        sloPass: false,
        failures: ["served 92% of offered (needs 95% or more)"],
      }),
    ]);
    expect(c).toEqual({
      capacityNote:
        "the lowest rate, 10.00 req/s (step 10.00rps), failed: served 92% of offered (needs 95% or more)",
    });
  });

  it("says so when no rate step ran", () => {
    expect(capacityOf(closed)).toEqual({ capacityNote: "no rate step ran" });
  });
});
