import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { PlanTarget } from "../config/plan.js";
import type { ChatMessage } from "../providers/types.js";
import type { TokenLogprob } from "../record/response.js";

/** The default cache folder, relative to the working directory (git-ignored). */
export const DEFAULT_CACHE_DIR = ".gauntlet-cache";
/** 2: keys include what the server says about its model (entries of format 1 are misses). */
const CACHE_FORMAT = 2;

/** What a cached quality answer keeps: the content, never the timings. */
export interface CachedResponse {
  text: string;
  reasoning: string;
  toolCalls: string[];
  usage?: { promptTokens?: number; completionTokens?: number };
  finishReason?: string;
  logprobs?: TokenLogprob[];
}

/** What identifies one quality call: the target, its model and parameters, the rendered prompt. */
export interface CacheKeyParts {
  /**
   * The target's name: two targets of one suite on the same server (a warm-up, an A/A check, a
   * model swapped behind one URL) are two measurements, never one answer read twice.
   */
  target: string;
  provider: string;
  baseUrl: string;
  model: string;
  params: Record<string, unknown>;
  stream: boolean;
  messages: ChatMessage[];
  /** The repeat index: K repeats of a case are K samples, not one answer read K times. */
  attempt: number;
  /**
   * What the server says about the model it serves (its created time, root, digest or sha; see
   * ServerInfo): a model redeployed behind the same URL and name is keyed apart, so its answers are
   * measured again, never read from an earlier deployment's.
   */
  server?: Record<string, string | number>;
}

/** An on-disk cache of quality answers. Reads never throw: an unreadable entry is a miss. */
export interface ResponseCache {
  get(key: string): Promise<CachedResponse | undefined>;
  put(key: string, value: CachedResponse): Promise<void>;
}

/** JSON with object keys sorted, so `{a, b}` and `{b, a}` params give one key. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** SHA-256 of the canonical key parts (hex). Credentials and headers are not part of it. */
export function cacheKey(parts: CacheKeyParts): string {
  return createHash("sha256")
    .update(canonical({ format: CACHE_FORMAT, ...parts }))
    .digest("hex");
}

/**
 * The URL a target's answers are cached under, or undefined when they may not be cached: not the
 * simulator's, whose answers are generated locally from its profile (and whose port changes every
 * run), so caching them would hide profile edits.
 */
export const cacheableUrl = (t: PlanTarget): string | undefined =>
  t.provider === "sim" ? undefined : t.baseUrl;

/**
 * A cache in `dir`, one JSON file per entry under a two-character fan-out folder. Entries are
 * written to a temporary file and renamed, so a concurrent or interrupted run never reads half.
 */
export function createResponseCache(dir: string): ResponseCache {
  const fileOf = (key: string) => path.join(dir, key.slice(0, 2), `${key}.json`);
  return {
    async get(key) {
      try {
        const parsed = JSON.parse(await readFile(fileOf(key), "utf8")) as {
          format?: number;
          response?: CachedResponse;
        };
        const r = parsed.response;
        if (parsed.format !== CACHE_FORMAT || !r || typeof r.text !== "string") return undefined;
        return {
          ...r,
          reasoning: r.reasoning ?? "",
          toolCalls: Array.isArray(r.toolCalls) ? r.toolCalls : [],
        };
      } catch {
        return undefined;
      }
    },
    async put(key, response) {
      const file = fileOf(key);
      await mkdir(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
      await writeFile(
        tmp,
        JSON.stringify({ format: CACHE_FORMAT, savedAt: new Date().toISOString(), response }),
      );
      await rename(tmp, file);
    },
  };
}
