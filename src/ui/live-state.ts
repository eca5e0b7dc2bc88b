import type { FailureKind } from "../record/failure.js";
import type { OfferedLoad } from "../load/phase-executor.js";
import type { RunEvent } from "../run/events.js";
import { QUALITY_PHASE } from "../run/quality-run.js";

const WINDOW = 512;

/** Rolling view of one target/phase for the live UI. Pure data; `reduceLive` updates it. */
export interface LivePhase {
  key: string;
  target: string;
  phase: string;
  startedMs: number;
  total?: number;
  durationS?: number;
  done: number;
  /** Requests (or cases) that failed as requests. */
  failed: number;
  /** Quality cases answered but failing an assertion: a request that worked, a case that did not. */
  failedCases: number;
  /** Requests within the phase's warmup: shown apart, as they are out of the aggregates. */
  warmup: number;
  inFlight: number;
  /** Requests sent so far, as of `progressMs` (a load phase's progress events say). */
  sent?: number;
  progressMs?: number;
  /** What the phase offers now: users, or arrivals per second. */
  offered?: OfferedLoad;
  /** A load phase's kind and shape in words. */
  shape?: string;
  finished: boolean;
  /** When it finished: its rate stays the one it ended with. */
  finishedMs?: number;
  errorsByKind: Partial<Record<FailureKind, number>>;
  /** Completion times (ms) of recent requests, for the live rate. */
  recentEndsMs: number[];
  ttftMs: number[];
  itlMs: number[];
  e2eMs: number[];
}

export interface LiveState {
  suite: string;
  /** When the run started (ms on the view's clock). */
  startedMs?: number;
  /** The load phases' planned length (s) and how many phase runs there are. */
  loadS?: number;
  phaseRuns?: number;
  phases: LivePhase[];
  messages: string[];
}

export function createLiveState(): LiveState {
  return { suite: "", phases: [], messages: [] };
}

const push = (xs: number[], x: number) => {
  xs.push(x);
  if (xs.length > WINDOW) xs.splice(0, xs.length - WINDOW);
};

/** Folds one run event into the live state (mutating it: it is the UI's own scratch state). */
export function reduceLive(state: LiveState, e: RunEvent, nowMs: number): void {
  const current = () => state.phases[state.phases.length - 1];
  switch (e.type) {
    case "run_started":
      state.suite = e.suite;
      state.startedMs = nowMs;
      if (e.loadS !== undefined) state.loadS = e.loadS;
      if (e.phaseRuns !== undefined) state.phaseRuns = e.phaseRuns;
      break;
    case "phase_progress": {
      const p = state.phases.find((x) => x.target === e.target && x.phase === e.phase);
      if (p && !p.finished)
        [p.inFlight, p.sent, p.offered, p.progressMs] = [e.inFlight, e.sent, e.offered, nowMs];
      break;
    }
    case "target_started":
      state.phases.push({
        key: `${e.target}/${e.phase}`,
        target: e.target,
        phase: e.phase,
        startedMs: nowMs,
        ...(e.total !== undefined ? { total: e.total } : {}),
        ...(e.durationS !== undefined ? { durationS: e.durationS } : {}),
        ...(e.shape !== undefined ? { shape: e.shape } : {}),
        done: 0,
        failed: 0,
        failedCases: 0,
        warmup: 0,
        inFlight: 0,
        finished: false,
        errorsByKind: {},
        recentEndsMs: [],
        ttftMs: [],
        itlMs: [],
        e2eMs: [],
      });
      break;
    case "request_finished": {
      const p =
        state.phases.find((x) => x.target === e.sample.target && x.phase === e.sample.phase) ?? current();
      if (!p) break;
      if (e.warmup) {
        p.warmup++;
        break;
      }
      // `done` and `failed` count cases (quality) or requests: a retried attempt is neither.
      if (!e.retried) p.done++;
      if (!e.retried && e.outcome && e.sample.ok && !e.outcome.pass) p.failedCases++;
      push(p.recentEndsMs, nowMs);
      if (!e.sample.ok && e.sample.failure) {
        if (!e.retried) p.failed++;
        p.errorsByKind[e.sample.failure.kind] = (p.errorsByKind[e.sample.failure.kind] ?? 0) + 1;
      }
      if (e.sample.ttftUs !== undefined) push(p.ttftMs, e.sample.ttftUs / 1000);
      if (e.sample.e2eUs !== undefined) push(p.e2eMs, e.sample.e2eUs / 1000);
      for (const g of e.sample.itlGapsUs.slice(-16)) push(p.itlMs, g / 1000);
      break;
    }
    case "target_finished": {
      const p = state.phases.find((x) => x.target === e.target && x.phase === e.phase);
      if (p) [p.finished, p.finishedMs, p.inFlight] = [true, nowMs, 0];
      break;
    }
    case "target_unreachable":
    case "warning":
      state.messages.push(`${e.type === "warning" ? "warning" : e.target}: ${e.message}`);
      break;
    case "interrupted":
      state.messages.push(`interrupted (${e.reason}): finishing in-flight requests, then writing reports`);
      break;
    case "run_finished":
      break;
  }
}

/** Percentile of a small window (sorted copy); NaN when empty. */
export function windowPercentile(xs: number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Completions per second over the last `spanMs` (of the phase's end, once it finished). */
export function liveRate(p: LivePhase, at: number, spanMs = 5000): number {
  const nowMs = p.finishedMs ?? at;
  const since = nowMs - spanMs;
  const n = p.recentEndsMs.filter((t) => t >= since).length;
  const span = Math.min(spanMs, Math.max(1, nowMs - p.startedMs));
  return (n / span) * 1000;
}

/** Fraction done (0..1) from the request count or the phase duration; undefined when unknown. */
export function progressOf(p: LivePhase, nowMs: number): number | undefined {
  if (p.finished) return 1;
  if (p.total) return Math.min(1, p.done / p.total);
  if (p.durationS) return Math.min(1, (nowMs - p.startedMs) / (p.durationS * 1000));
  return undefined;
}

/** Load phases (not quality rows) finished, of the run's planned phase runs. */
export function phasesDone(state: LiveState): number {
  return state.phases.filter((p) => p.finished && p.phase !== QUALITY_PHASE).length;
}

/** Requests sent per second over the phase, as of its last progress event: what it put on the server. */
export function sentRate(p: LivePhase): number | undefined {
  if (p.sent === undefined || p.progressMs === undefined) return undefined;
  return (p.sent / Math.max(1, p.progressMs - p.startedMs)) * 1000;
}
