/**
 * k6-style overrides of the load shape from the command line: `--users N` for every closed loop,
 * `--rate R` for every open loop, `--duration D` for both. They change the suite before the plan is
 * built, so the plan derives time limits and checks warmups from the overridden values as if the
 * suite had said them. Ramps and sweeps keep their own shape: a flag that reaches no phase is an error.
 */
import type { LoadedSuite } from "../config/load-suite.js";
import { LIMITS, overLimit } from "../config/limits.js";
import { phaseKindOf, type PhaseKind } from "../config/phase-shape.js";
import type { LoadPhaseConfig } from "../config/schema.js";
import { UsageError } from "../errors.js";
import { parseDurationMs } from "../util/duration.js";

/** The overriding flags as commander hands them over. */
export interface LoadOverrideOptions {
  users?: string;
  rate?: string;
  duration?: string;
}

type Override = (phase: LoadPhaseConfig) => LoadPhaseConfig;

/** Each flag: the phase kinds it applies to, and the change it makes after its value is checked. */
function overrides(opts: LoadOverrideOptions): Array<{ flag: string; kinds: PhaseKind[]; apply: Override }> {
  const out: Array<{ flag: string; kinds: PhaseKind[]; apply: Override }> = [];
  if (opts.users !== undefined) {
    const n = Number(opts.users);
    if (!Number.isInteger(n) || n < 1)
      throw new UsageError(`--users expects a positive integer, got ${opts.users}`);
    if (n > LIMITS.inFlight.max) throw new UsageError(`--users ${opts.users}: ${overLimit("inFlight")}`);
    out.push({ flag: "--users", kinds: ["closed"], apply: (p) => ({ ...p, concurrency: n }) });
  }
  if (opts.rate !== undefined) {
    const r = Number(opts.rate);
    if (!Number.isFinite(r) || r <= 0)
      throw new UsageError(`--rate expects a positive number of requests per second, got ${opts.rate}`);
    if (r > LIMITS.rate.max) throw new UsageError(`--rate ${opts.rate}: ${overLimit("rate")}`);
    out.push({ flag: "--rate", kinds: ["open"], apply: (p) => ({ ...p, rate: r }) });
  }
  if (opts.duration !== undefined) {
    const ms = parseDurationMs(opts.duration);
    if (ms === undefined || ms <= 0)
      throw new UsageError(`--duration expects a duration such as 30s or 2m, got ${opts.duration}`);
    if (ms > LIMITS.duration.max)
      throw new UsageError(`--duration ${opts.duration}: ${overLimit("duration")}`);
    const duration = opts.duration;
    out.push({ flag: "--duration", kinds: ["closed", "open"], apply: (p) => ({ ...p, duration }) });
  }
  return out;
}

const KIND_WORDS: Record<PhaseKind, string> = {
  closed: "closed loop",
  open: "open loop",
  "ramp-users": "ramp of users",
  "ramp-rate": "ramp of rate",
  sweep: "sweep",
  replay: "replay",
};

/**
 * The suite with the load flags applied to the phases they fit (never mutating `loaded`). Throws
 * UsageError (exit 2) for a bad value or a flag that fits no phase of the suite.
 */
export function applyLoadOverrides(loaded: LoadedSuite, opts: LoadOverrideOptions): LoadedSuite {
  const changes = overrides(opts);
  if (changes.length === 0) return loaded;
  let load = loaded.suite.load;
  for (const { flag, kinds, apply } of changes) {
    let reached = 0;
    load = load.map((phase) => {
      const kind = phaseKindOf(phase);
      if (kind === undefined || !kinds.includes(kind)) return phase;
      reached++;
      return apply(phase);
    });
    if (reached === 0) {
      const phases = loaded.suite.load.map((p) => {
        const kind = phaseKindOf(p);
        return `${p.name} (${kind ? KIND_WORDS[kind] : "no shape"})`;
      });
      throw new UsageError(
        `${flag} applies to ${kinds.map((k) => KIND_WORDS[k]).join(" and ")} phases, and the suite has none (load phases: ${phases.join(", ") || "none"})`,
        "ramps and sweeps keep the shape the suite gives them: change it there",
      );
    }
  }
  return { ...loaded, suite: { ...loaded.suite, load } };
}
