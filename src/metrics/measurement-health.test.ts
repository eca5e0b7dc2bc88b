import { describe, expect, it } from "vitest";
import type { RequestSample } from "../record/request-sample.js";
import { figuresOf, judge } from "../thresholds/judge.js";
import { parseThreshold } from "../thresholds/parse.js";
import { fixtureRun } from "../../test/helpers/run-fixture.js";
import { PhaseAggregator, type ProcessWatch } from "./aggregate.js";
import { mergeAggregates } from "./merge.js";
import { mergeClientWatches, unreliableLines } from "./measurement-health.js";

const quiet: ProcessWatch = {
  watchedMs: 10_000,
  cpuShare: 0.2,
  loopDelayP50Ms: 0.1,
  loopDelayP99Ms: 0.5,
  loopDelayMaxMs: 2,
};

/** 100 requests: TTFT 40 ms, 10 gaps each of `gapUs` (the first `coalesced` of them 20 µs). */
function phase(
  watch: ProcessWatch,
  over: { coalesced?: number; dispatchUs?: number; estimated?: boolean } = {},
): PhaseAggregator {
  const a = new PhaseAggregator("a", "steady");
  for (let i = 0; i < 100; i++) {
    const gaps = Array.from({ length: 10 }, (_, g) => (g < (over.coalesced ?? 0) ? 20 : 5_000));
    const sample: RequestSample = {
      target: "a",
      phase: "steady",
      startUs: i * 100_000,
      dispatchDelayUs: over.dispatchUs ?? 100,
      ttftUs: 40_000,
      e2eUs: 40_000 + gaps.reduce((x, y) => x + y, 0),
      itlGapsUs: gaps,
      tpotUs: 5_000,
      outputTokens: 11,
      outputTokensEstimated: over.estimated ?? false,
      chunks: 11,
      ok: true,
      endUs: i * 100_000 + 100_000,
    };
    a.add(sample);
  }
  a.watched(watch);
  return a;
}

describe("measurement health", () => {
  it("vouches for every metric of a quiet client and says what it saw", () => {
    const h = phase(quiet).toAggregate().measurement!;
    expect(h.client).toMatchObject({ itlGaps: 1000, coalescedItlGaps: 0, cpuShare: 0.2 });
    expect(Object.keys(h.metrics).sort()).toEqual(["e2e", "itl", "output_tokens", "tpot", "ttft"]);
    for (const v of Object.values(h.metrics)) expect(v?.reliable).toBe(true);
    expect(h.metrics.itl?.reason).toBe("0.0% of gaps coalesced; event loop 0.50 ms p99");
  });

  it.each<[string, ProcessWatch, Parameters<typeof phase>[1], string[], string[]]>([
    [
      "coalesced gaps while the loop lagged",
      { ...quiet, loopDelayP99Ms: 12 },
      { coalesced: 4 },
      [
        "ITL unreliable: 40% of gaps coalesced while the client's event loop lagged 12.0 ms at p99; run fewer streams per process or use --shard",
        // 12 ms of loop delay is 30% of a 40 ms TTFT.
        "TTFT unreliable: the client added up to event-loop delay 12.0 ms at p99, 30% of the TTFT p50 of 40.0 ms; run fewer streams per process or use --shard",
      ],
      // e2e and TPOT carry the same delay (their spans are ~70 ms and ~30 ms).
      ["ITL", "TTFT", "TPOT", "e2e"],
    ],
    [
      "coalesced gaps with a quiet loop: the server's writes",
      quiet,
      { coalesced: 4 },
      [
        "ITL unreliable: 40% of gaps coalesced with the client's event loop at 0.50 ms p99: the server writes several tokens at once, so ITL shows its writes, not its tokens; read tpot instead",
      ],
      ["ITL"],
    ],
    [
      "a late send",
      quiet,
      { dispatchUs: 12_000 },
      [
        "TTFT unreliable: the client added up to dispatch delay 12.0 ms at p99, 30% of the TTFT p50 of 40.0 ms; run fewer streams per process or use --shard",
      ],
      // A send delay is outside TPOT's span.
      ["TTFT", "e2e"],
    ],
    [
      "estimated output tokens",
      quiet,
      { estimated: true },
      [
        "output tokens unreliable: 100 of 100 requests' output tokens counted by the client's o200k tokenizer (the server reported no usage), which may differ from the model's; throughput and TPOT follow it. Ask the server for usage (OpenAI: stream_options.include_usage)",
      ],
      ["output tokens"],
    ],
  ])("names what it cannot vouch for: %s", (_name, watch, over, expected, unreliable) => {
    const lines = unreliableLines(phase(watch, over).toAggregate().measurement);
    for (const line of expected) expect(lines).toContain(line);
    expect(lines.map((l) => l.slice(0, l.indexOf(" unreliable:"))).sort()).toEqual(unreliable.sort());
  });

  it("a saturated CPU makes every timing unreliable", () => {
    const h = phase({ ...quiet, cpuShare: 0.97 }).toAggregate().measurement!;
    for (const m of ["ttft", "itl", "tpot", "e2e"] as const) {
      expect(h.metrics[m]?.reliable, m).toBe(false);
      expect(h.metrics[m]?.reason, m).toContain("its process used 97% of a core");
    }
    expect(h.metrics.output_tokens?.reliable).toBe(true);
  });

  it("merged shards keep the worst process and add gaps, then judge again", () => {
    const [merged] = mergeAggregates([
      phase(quiet).toAggregate(),
      phase({ ...quiet, loopDelayP99Ms: 12, cpuShare: 0.5 }, { coalesced: 8 }).toAggregate(),
    ]);
    expect(merged!.measurement!.client).toEqual({
      ...mergeClientWatches(
        [quiet, { ...quiet, loopDelayP99Ms: 12, cpuShare: 0.5 }].map((w) => ({
          ...w,
          itlGaps: 0,
          coalescedItlGaps: 0,
        })),
      ),
      itlGaps: 2000,
      coalescedItlGaps: 800,
    });
    // 800 of 2000 gaps: 40% of the pooled gaps, over the 10% rule.
    expect(merged!.measurement!.metrics.itl?.reason).toMatch(
      /^40% of gaps coalesced while .* 12\.0 ms at p99/,
    );
  });

  it("a threshold on an unreliable metric says so in its reason; the verdict stands", () => {
    const run = fixtureRun({
      phases: [phase({ ...quiet, loopDelayP99Ms: 12 }, { coalesced: 4 }).toAggregate()],
    });
    const [itl, e2e] = judge(
      [parseThreshold("itl.p50", "< 100ms"), parseThreshold("e2e.p50", "< 1000ms")],
      figuresOf(run),
    );
    expect(itl!.pass).toBe(true);
    expect(itl!.reason).toContain("; ITL unreliable in a/steady: 40% of gaps coalesced");
    // 12 ms of a ~68 ms e2e p50 is 18%: unreliable too, and said.
    expect(e2e!.reason).toContain(
      "; e2e unreliable in a/steady: the client added up to event-loop delay 12.0 ms",
    );
  });
});
