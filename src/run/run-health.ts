import type { PlanTarget } from "../config/plan.js";
import type { PhaseAggregate } from "../record/aggregate.js";
import type { RunHealth } from "../record/health.js";
import type { ServerInfo } from "../providers/server-info.js";
import type { Provider } from "../providers/types.js";
import type { RunEventSink } from "./events.js";
import { FailureLog } from "./failure-log.js";
import type { HintContext } from "./health-hints.js";
import { judgeHealth, type PhaseOutcome } from "./health.js";
import type { PhaseRunResult } from "./load-run.js";
import type { SweepRunResult } from "./sweep-run.js";

/** How long a server gets to describe itself: a hint or a cache key is never worth a long wait. */
export const SERVER_INFO_TIMEOUT_MS = 5_000;

/**
 * Asks each target's server to describe itself (see ServerInfo) at most once per run, and only
 * when something needs it: the response cache's key, or the hint on a 404.
 */
export function createServerInfoAsker() {
  const providers = new Map<string, Provider>();
  const answers = new Map<string, Promise<ServerInfo>>();
  return {
    add(target: string, provider: Provider): void {
      providers.set(target, provider);
    },
    ask(target: string): Promise<ServerInfo | undefined> {
      const provider = providers.get(target);
      if (!provider) return Promise.resolve(undefined);
      let answer = answers.get(target);
      if (!answer) answers.set(target, (answer = provider.serverInfo(SERVER_INFO_TIMEOUT_MS)));
      return answer;
    },
  };
}

export type ServerInfoAsker = ReturnType<typeof createServerInfoAsker>;

/**
 * Collects what run health judges while the run goes: every recorded request's failure (through
 * the event stream), and what each phase came to. `judge` then names the phases that had no
 * successful request, with hints; call it while the targets' servers are still up.
 */
export class HealthTracker {
  private readonly log = new FailureLog();
  private readonly phases: PhaseOutcome[] = [];
  private readonly contexts = new Map<string, HintContext>();

  constructor(private readonly servers: ServerInfoAsker) {}

  /** The run's event sink, with every recorded request shown to the failure log first. */
  observe(emit: RunEventSink): RunEventSink {
    return (event) => {
      if (event.type === "request_finished") this.log.observe(event.sample);
      emit(event);
    };
  }

  target(target: PlanTarget, displayUrl: string): void {
    this.contexts.set(target.name, {
      target,
      displayUrl,
      serverInfo: () => this.servers.ask(target.name),
    });
  }

  /** The quality phase: its requests (retries included), and answers read from the cache as successes. */
  quality(aggregate: PhaseAggregate, cached: number): void {
    this.phases.push({
      target: aggregate.target,
      phase: aggregate.phase,
      recordedAs: [aggregate.phase],
      requests: aggregate.requests,
      successes: aggregate.successes + cached,
    });
  }

  load(target: string, phase: string, r: PhaseRunResult | SweepRunResult, recordedAs: string[]): void {
    this.phases.push({
      target,
      phase,
      recordedAs,
      requests: r.recorded,
      successes: r.succeeded,
      ...(r.failedFast ? { failedFast: r.failedFast } : {}),
    });
  }

  judge(): Promise<RunHealth> {
    return judgeHealth(this.phases, this.log, this.contexts);
  }
}
