import type { SweepResult, SweepStep } from "../record/sweep.js";

const rps = (n: number) => `${n.toFixed(2)} req/s`;

/** A step's failures as one clause: "ttft.p95 observed 180ms, limit < 150ms; served 91% of offered". */
export function whyFailed(step: SweepStep): string {
  return step.failures?.length ? step.failures.join("; ") : "failed";
}

/**
 * The capacity at SLO from a sweep's steps: the highest offered rate whose step passed, reported
 * as what that step served, capped at the rate offered there and at the saturation step's
 * throughput, so it is never above a throughput the sweep measured. With no passing rate, the note
 * says which rule failed at the lowest rate (or that no rate step ran).
 */
export function capacityOf(
  steps: readonly SweepStep[],
): Pick<SweepResult, "capacityRps" | "capacityStep" | "capacityNote"> {
  const rated = steps.filter((s): s is SweepStep & { rate: number } => s.rate !== undefined);
  if (rated.length === 0) return { capacityNote: "no rate step ran" };
  const passing = rated.filter((s) => s.sloPass);
  if (passing.length === 0) {
    const lowest = rated.reduce((a, b) => (b.rate < a.rate ? b : a));
    return {
      capacityNote: `the lowest rate, ${rps(lowest.rate)} (step ${lowest.label}), failed: ${whyFailed(lowest)}`,
    };
  }
  const best = passing.reduce((a, b) => (b.rate > a.rate ? b : a));
  const saturation = steps.find((s) => s.label === "saturation");
  const bounds: Array<[number, string]> = [
    [best.achievedRps, `what step ${best.label} served`],
    [best.rate, `capped at the rate offered at step ${best.label}`],
    ...(saturation
      ? [[saturation.achievedRps, "capped at the saturation throughput"] as [number, string]]
      : []),
  ];
  const [capacity, how] = bounds.reduce((a, b) => (b[0] < a[0] ? b : a));
  const served = `step ${best.label}, the highest passing rate, served ${rps(best.achievedRps)} of ${rps(best.rate)} offered`;
  return {
    capacityRps: capacity,
    capacityStep: best.label,
    capacityNote: how === bounds[0]![1] ? served : `${how}; ${served}`,
  };
}
