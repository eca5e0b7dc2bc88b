import { createHash } from "node:crypto";
import type { SimProfile } from "./profile.js";

/**
 * What the simulator says about itself at each server's description route, as the servers it
 * stands in for do: OpenAI's `GET /v1/models` (with vLLM's max_model_len), Ollama's `GET /api/tags`,
 * TGI's `GET /info`. The model's version is a digest of the profile, so a simulator restarted with
 * another profile (a `degrade`, a new answer table) behind the same URL is a new model to the
 * response cache, as a redeployed server is; `created` is when this simulator started.
 */
export interface SimDescription {
  routes: Record<string, unknown>;
}

/** The context length /v1/models reports, as vLLM does (max_model_len). */
export const SIM_MAX_MODEL_LEN = 32_768;

export function describeSim(profile: SimProfile, startedAtMs: number): SimDescription {
  const digest = createHash("sha256").update(JSON.stringify(profile)).digest("hex");
  const createdS = Math.floor(startedAtMs / 1000);
  const models = {
    object: "list",
    data: [
      {
        id: profile.model,
        object: "model",
        created: createdS,
        owned_by: "gauntlet-sim",
        root: `gauntlet-sim/${digest.slice(0, 16)}`,
        max_model_len: SIM_MAX_MODEL_LEN,
      },
    ],
  };
  const tags = {
    models: [
      {
        name: profile.model,
        model: profile.model,
        digest,
        modified_at: new Date(startedAtMs).toISOString(),
      },
    ],
  };
  const info = { model_id: profile.model, model_sha: digest, max_total_tokens: SIM_MAX_MODEL_LEN };
  return { routes: { "/v1/models": models, "/api/tags": tags, "/info": info } };
}
