import type { SimProfile } from "../sim/profile.js";
import { startSimServer, type SimServer } from "../sim/server.js";
import { redactUrl, type Redactor } from "../util/redact.js";
import type { HttpProviderKind } from "./kinds.js";
import { PROVIDERS } from "./registry.js";
import type { Provider, Timeouts } from "./types.js";

/** What connecting needs of any target. */
interface TargetAccess {
  model: string;
  apiKey?: string;
  headers: Record<string, string>;
  timeouts: Timeouts;
}

/** A target given as a simulator profile: connecting starts the simulator. */
export interface SimulatedTargetSpec extends TargetAccess {
  provider: "sim";
  sim: SimProfile;
}

/** A target at a server's `baseUrl`, speaking its provider's wire format. */
export interface HttpTargetSpec extends TargetAccess {
  provider: HttpProviderKind;
  baseUrl: string;
}

/** The plan's targets fit this as they are (see PlanTarget). */
export type TargetSpec = SimulatedTargetSpec | HttpTargetSpec;

/** A target ready to be sent requests. */
export interface ConnectedTarget {
  provider: Provider;
  /**
   * Where requests go: the target's base_url, or the URL of the simulator started for it. It may
   * carry credentials: show `displayUrl` instead.
   */
  baseUrl: string;
  /** `baseUrl` without credentials or query string, for messages and reports. */
  displayUrl: string;
  /** Closes the provider's connections, then the simulator started for the target, if any. Never rejects. */
  close(): Promise<void>;
}

/**
 * Connects a target: starts its simulator (`provider: sim`) or uses its base_url, and builds its
 * provider with a keep-alive pool of `connections` (the most requests the caller will have in
 * flight). Opens no connection itself: the provider connects on its first request or warmUp.
 * `redact` removes the suite's secrets from server text before a failure's message cuts it.
 */
export async function connectTarget(
  target: TargetSpec,
  connections: number,
  redact?: Redactor,
): Promise<ConnectedTarget> {
  let sim: SimServer | undefined;
  let baseUrl: string;
  if (target.provider === "sim") {
    sim = await startSimServer(target.sim);
    baseUrl = sim.url;
  } else {
    baseUrl = target.baseUrl;
  }
  const provider = PROVIDERS[target.provider]({
    baseUrl,
    model: target.model,
    ...(target.apiKey ? { apiKey: target.apiKey } : {}),
    headers: target.headers,
    timeouts: target.timeouts,
    connections,
    ...(redact ? { redact } : {}),
  });
  return {
    provider,
    baseUrl,
    displayUrl: redactUrl(baseUrl),
    close: async () => {
      await provider.close().catch(() => {});
      await sim?.close().catch(() => {});
    },
  };
}
