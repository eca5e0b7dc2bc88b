import { Box, Text } from "ink";
import { formatSpanMs } from "../util/duration.js";
import {
  liveRate,
  phasesDone,
  progressOf,
  sentRate,
  windowPercentile,
  type LivePhase,
  type LiveState,
} from "./live-state.js";

const ms = (x: number) => (Number.isNaN(x) ? "-" : x >= 100 ? `${x.toFixed(0)}ms` : `${x.toFixed(1)}ms`);

function bar(fraction: number | undefined, width = 24): string {
  if (fraction === undefined) return "·".repeat(width);
  const full = Math.round(fraction * width);
  return "█".repeat(full) + "░".repeat(width - full);
}

function eta(p: LivePhase, nowMs: number): string {
  const f = progressOf(p, nowMs);
  if (p.finished) return "done";
  if (!f || f <= 0) return "";
  const left = ((nowMs - p.startedMs) * (1 - f)) / f / 1000;
  return `ETA ${left < 60 ? `${left.toFixed(0)}s` : `${(left / 60).toFixed(1)}m`}`;
}

/** The terminal width a row is kept within. */
const COLUMNS = 100;

/** `text` cut to `width` characters, the cut marked with an ellipsis. */
const fit = (text: string, width: number) => (text.length > width ? `${text.slice(0, width - 1)}…` : text);

/**
 * A load phase's shape, then what it offers now (users, or arrivals per second with what was sent
 * and what completed) and what is in flight; the shape is cut so the line fits COLUMNS.
 */
export function loadLine(p: LivePhase, nowMs: number): string {
  if (!p.shape) return "";
  const done = liveRate(p, nowMs).toFixed(1);
  const sent = sentRate(p);
  const offered = !p.offered
    ? ""
    : "users" in p.offered
      ? ` · ${p.offered.users} users, ${done}/s done · ${p.inFlight} in flight`
      : ` · ${p.offered.rate.toFixed(1)}/s offered, ${sent === undefined ? "-" : sent.toFixed(1)} sent, ${done} done · ${p.inFlight} in flight`;
  const room = Math.max(20, COLUMNS - 2 - offered.length);
  return `  ${fit(p.shape, room)}${offered}`;
}

/** The run's line: elapsed against the planned load time, load phases done, requests in flight. */
export function headerLine(state: LiveState, nowMs: number): string {
  const elapsed = state.startedMs === undefined ? 0 : nowMs - state.startedMs;
  const planned = state.loadS === undefined ? "" : ` of ~${formatSpanMs(state.loadS * 1000)} planned load`;
  const phases =
    state.phaseRuns === undefined ? "" : ` · load phases ${phasesDone(state)}/${state.phaseRuns}`;
  const inFlight = state.phases.filter((p) => !p.finished).reduce((n, p) => n + p.inFlight, 0);
  return fit(
    `gauntlet · ${state.suite} · ${formatSpanMs(elapsed)} elapsed${planned}${phases}${inFlight ? ` · ${inFlight} in flight` : ""}`,
    COLUMNS,
  );
}

/** One row per target/phase: progress, ETA, live rate, rolling percentiles, errors by kind. */
export function PhaseRow({ phase, nowMs }: { phase: LivePhase; nowMs: number }) {
  const errors = Object.entries(phase.errorsByKind)
    .map(([k, v]) => `${k}:${v}`)
    .join(" ");
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold>{fit(phase.key, 24).padEnd(24)}</Text> {bar(progressOf(phase, nowMs))}{" "}
        {String(phase.done).padStart(6)}
        {phase.total ? `/${phase.total}` : ""}
        {phase.failedCases ? <Text color="red">{` · ${phase.failedCases} failed assertions`}</Text> : ""}
        {phase.warmup ? <Text dimColor>{` (+${phase.warmup} warmup)`}</Text> : ""}{" "}
        <Text dimColor>{eta(phase, nowMs)}</Text>
      </Text>
      {phase.shape ? <Text>{loadLine(phase, nowMs)}</Text> : null}
      <Text dimColor>
        {"  "}
        {liveRate(phase, nowMs).toFixed(1)} req/s · ttft p50 {ms(windowPercentile(phase.ttftMs, 50))} p95{" "}
        {ms(windowPercentile(phase.ttftMs, 95))} · itl p50 {ms(windowPercentile(phase.itlMs, 50))} p99{" "}
        {ms(windowPercentile(phase.itlMs, 99))} · e2e p95 {ms(windowPercentile(phase.e2eMs, 95))}
        {phase.failed ? "" : " · no errors"}
      </Text>
      {phase.failed ? <Text color="red">{fit(`  errors ${phase.failed}: ${errors}`, COLUMNS)}</Text> : null}
    </Box>
  );
}

/** The live terminal view of a run (TTY only; CI gets plain lines from the same events). */
/** Lines a phase row takes: its bar, its figures, its shape (load phases), its errors (when any). */
const rowLines = (p: LivePhase) => 2 + (p.shape ? 1 : 0) + (p.failed ? 1 : 0);

/**
 * The most recent phases that fit `rows` lines with the header and the messages, oldest first, and
 * how many earlier ones were left out (said on a line of its own).
 */
export function visiblePhases(state: LiveState, rows: number): { shown: LivePhase[]; hidden: number } {
  const messages = Math.min(state.messages.length, 4);
  let room = rows - 1 - messages;
  const shown: LivePhase[] = [];
  for (let i = state.phases.length - 1; i >= 0; i--) {
    const p = state.phases[i]!;
    // Leave a line for "… N earlier" when something is left out.
    const needed = rowLines(p) + (i > 0 ? 1 : 0);
    if (needed > room && shown.length > 0) break;
    shown.unshift(p);
    room -= rowLines(p);
  }
  return { shown, hidden: state.phases.length - shown.length };
}

/** The live terminal view of a run (TTY only; CI gets plain lines from the same events), within `rows` lines. */
export function LiveView({ state, nowMs, rows = 30 }: { state: LiveState; nowMs: number; rows?: number }) {
  const { shown, hidden } = visiblePhases(state, rows);
  return (
    <Box flexDirection="column">
      <Text bold>{headerLine(state, nowMs)}</Text>
      {hidden > 0 ? <Text dimColor>{`… ${hidden} earlier phase(s)`}</Text> : null}
      {shown.map((p) => (
        <PhaseRow key={p.key} phase={p} nowMs={nowMs} />
      ))}
      {state.messages.slice(-4).map((m, i) => (
        <Text key={i} color="yellow">
          {fit(m, COLUMNS)}
        </Text>
      ))}
    </Box>
  );
}
