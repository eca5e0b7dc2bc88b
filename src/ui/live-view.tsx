import { Box, Text } from "ink";
import { liveRate, progressOf, windowPercentile, type LivePhase, type LiveState } from "./live-state.js";

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

/** One row per target/phase: progress, ETA, live rate, rolling percentiles, errors by kind. */
export function PhaseRow({ phase, nowMs }: { phase: LivePhase; nowMs: number }) {
  const errors = Object.entries(phase.errorsByKind)
    .map(([k, v]) => `${k}:${v}`)
    .join(" ");
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold>{phase.key.padEnd(24)}</Text> {bar(progressOf(phase, nowMs))}{" "}
        {String(phase.done).padStart(6)}
        {phase.total ? `/${phase.total}` : ""}
        {phase.failedCases ? <Text color="red">{` · ${phase.failedCases} failed assertions`}</Text> : ""}
        {phase.warmup ? <Text dimColor>{` (+${phase.warmup} warmup)`}</Text> : ""}{" "}
        <Text dimColor>{eta(phase, nowMs)}</Text>
      </Text>
      <Text dimColor>
        {"  "}
        {liveRate(phase, nowMs).toFixed(1)} req/s · ttft p50 {ms(windowPercentile(phase.ttftMs, 50))} p95{" "}
        {ms(windowPercentile(phase.ttftMs, 95))} · itl p50 {ms(windowPercentile(phase.itlMs, 50))} p99{" "}
        {ms(windowPercentile(phase.itlMs, 99))} · e2e p95 {ms(windowPercentile(phase.e2eMs, 95))}
        {phase.failed ? "" : " · no request errors"}
      </Text>
      {phase.failed ? <Text color="red">{`  errors ${phase.failed}: ${errors}`}</Text> : null}
    </Box>
  );
}

/** The live terminal view of a run (TTY only; CI gets plain lines from the same events). */
export function LiveView({ state, nowMs }: { state: LiveState; nowMs: number }) {
  return (
    <Box flexDirection="column">
      <Text bold>gauntlet · {state.suite}</Text>
      {state.phases.slice(-8).map((p) => (
        <PhaseRow key={p.key} phase={p} nowMs={nowMs} />
      ))}
      {state.messages.slice(-4).map((m, i) => (
        <Text key={i} color="yellow">
          {m}
        </Text>
      ))}
    </Box>
  );
}
