import { request } from "undici";
import { endpointUrl } from "../util/endpoint-url.js";

/**
 * What a server says about itself at its description route: the models it lists (for the hint on
 * a 404 for the model) and what it says about the target's model that changes when the model is
 * redeployed (for the response cache's key). Read once per target per run, with a bounded timeout.
 */
export interface ServerInfo {
  /** The route asked, below base_url: `/models`, `/api/tags` or `/info`. */
  route: string;
  /** The HTTP status it answered, when it answered. */
  status?: number;
  /** The model names the server lists. */
  models?: string[];
  /**
   * The stable facts the server gives about the target's model (id, created, root, digest, sha...):
   * what the cache keys on. Absent when it lists no such model.
   */
  identity?: Record<string, string | number>;
  /**
   * True when `identity` holds a fact a redeploy changes (a creation time, a root, a digest or a
   * sha): without one, a new model behind the same URL and name looks the same.
   */
  versioned: boolean;
  /** Why nothing could be read (a network error, a status, a body of another shape). */
  error?: string;
}

/** How one wire format's server describes itself: the route below base_url and how to read it. */
export interface InfoRoute {
  path: string;
  read(body: unknown, model: string): Omit<ServerInfo, "route" | "status" | "error">;
}

const obj = (v: unknown): Record<string, unknown> | undefined =>
  v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/** The objects of a JSON array, skipping anything else. */
const objects = (list: unknown[]): Array<Record<string, unknown>> =>
  list.flatMap((d) => {
    const o = obj(d);
    return o ? [o] : [];
  });

/** The fields of `entry` named in `keys` that are plain strings or finite numbers. */
function pick(entry: Record<string, unknown>, keys: readonly string[]): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const k of keys) {
    const v = entry[k];
    if (typeof v === "string" || (typeof v === "number" && Number.isFinite(v))) out[k] = v;
  }
  return out;
}

/**
 * A `created` this close to the moment of the answer may be the time of the answer, not of the
 * model: vLLM and llama.cpp's server stamp each /v1/models reply with the current time, so keying
 * on it would make every run a miss (safe, but useless). Such a `created` is asked for again in
 * the next second: kept when it holds (a server just started), left out when it moved.
 */
const ANSWER_TIME_TOLERANCE_S = 2;

/** Facts that change when a model is redeployed behind the same name. */
const VERSION_FIELDS = ["created", "created_at", "root", "parent", "digest", "modified_at", "model_sha"];

const versioned = (identity: Record<string, string | number> | undefined) =>
  identity !== undefined && VERSION_FIELDS.some((k) => k in identity);

/** OpenAI-compatible `GET /models` (OpenAI, vLLM, SGLang, llama.cpp, Ollama's /v1, Anthropic). */
export const OPENAI_MODELS: InfoRoute = {
  path: "/models",
  read(body, model) {
    const data = obj(body)?.data;
    if (!Array.isArray(data)) return { versioned: false };
    const entries = objects(data);
    const models = entries.flatMap((e) => (typeof e.id === "string" ? [e.id] : []));
    const entry = entries.find((e) => e.id === model);
    if (!entry) return { models, versioned: false };
    const identity = pick(entry, [
      "id",
      "created",
      "created_at",
      "root",
      "parent",
      "owned_by",
      "max_model_len",
    ]);
    return { models, identity, versioned: versioned(identity) };
  },
};

/** Ollama's `GET /api/tags`: each local model with its digest; `llama3` is `llama3:latest`. */
export const OLLAMA_TAGS: InfoRoute = {
  path: "/api/tags",
  read(body, model) {
    const list = obj(body)?.models;
    if (!Array.isArray(list)) return { versioned: false };
    const entries = objects(list);
    const nameOf = (e: Record<string, unknown>) =>
      typeof e.name === "string" ? e.name : typeof e.model === "string" ? e.model : undefined;
    const models = entries.flatMap((e) => nameOf(e) ?? []);
    const wanted = model.includes(":") ? [model] : [model, `${model}:latest`];
    const entry = entries.find((e) => wanted.includes(nameOf(e) ?? ""));
    if (!entry) return { models, versioned: false };
    const identity = pick(entry, ["name", "digest", "modified_at", "size"]);
    return { models, identity, versioned: versioned(identity) };
  },
};

/** Text Generation Inference's `GET /info`: the one model it serves, with its revision sha. */
export const TGI_INFO: InfoRoute = {
  path: "/info",
  read(body) {
    const info = obj(body);
    if (!info || typeof info.model_id !== "string") return { versioned: false };
    // TGI serves one model whatever a request names, so its model is the target's.
    const identity = pick(info, ["model_id", "model_sha", "model_dtype", "version", "sha"]);
    return { models: [info.model_id], identity, versioned: versioned(identity) };
  },
};

/** The most of a description body read: model lists are small. */
const MAX_INFO_BYTES = 1 << 20;

/** One answer of the description route, and when it came by the server's clock (epoch seconds). */
async function askOnce(
  url: string,
  route: InfoRoute,
  headers: Record<string, string>,
  model: string,
  timeoutMs: number,
): Promise<{ info: ServerInfo; answeredAtS?: number }> {
  try {
    const res = await request(url, {
      method: "GET",
      headers,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: AbortSignal.timeout(timeoutMs),
    });
    let text = "";
    for await (const chunk of res.body) {
      text += (chunk as Buffer).toString("utf8");
      if (text.length > MAX_INFO_BYTES) {
        res.body.destroy();
        return {
          info: { route: route.path, status: res.statusCode, versioned: false, error: "body too large" },
        };
      }
    }
    if (res.statusCode !== 200)
      return {
        info: {
          route: route.path,
          status: res.statusCode,
          versioned: false,
          error: `HTTP ${res.statusCode}`,
        },
      };
    const date = Date.parse(String(res.headers.date ?? ""));
    const answeredAtS = Math.floor((Number.isNaN(date) ? Date.now() : date) / 1000);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return { info: { route: route.path, status: 200, versioned: false, error: "not JSON" } };
    }
    return { info: { route: route.path, status: 200, ...route.read(body, model) }, answeredAtS };
  } catch (err) {
    return {
      info: { route: route.path, versioned: false, error: err instanceof Error ? err.message : String(err) },
    };
  }
}

/**
 * Asks the server at `baseUrl` to describe itself at `route`, within `timeoutMs` for each ask.
 * Never rejects: a server without the route, or one that does not answer, gives `error`. A
 * `created` within a second or two of the answer is checked with a second ask in the next second
 * (see ANSWER_TIME_TOLERANCE_S).
 */
export async function fetchServerInfo(
  baseUrl: string,
  route: InfoRoute,
  headers: Record<string, string>,
  model: string,
  timeoutMs: number,
): Promise<ServerInfo> {
  // After the base path, with the base's query string kept (Azure's ?api-version=).
  const url = endpointUrl(baseUrl, route.path);
  const first = await askOnce(url, route, headers, model, timeoutMs);
  const created = first.info.identity?.created;
  if (
    typeof created !== "number" ||
    first.answeredAtS === undefined ||
    Math.abs(created - first.answeredAtS) > ANSWER_TIME_TOLERANCE_S
  )
    return first.info;
  // Past a second boundary on any clock: a per-answer stamp has moved by then.
  await new Promise((resolve) => setTimeout(resolve, 1_050));
  const second = await askOnce(url, route, headers, model, timeoutMs);
  if (second.info.identity?.created === created) return first.info;
  const identity = { ...first.info.identity };
  delete identity.created;
  return { ...first.info, identity, versioned: versioned(identity) };
}
