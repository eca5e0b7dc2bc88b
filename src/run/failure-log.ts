import type { HealthError } from "../record/health.js";
import type { RequestSample } from "../record/request-sample.js";

/** The longest server message kept: enough for a sentence, never a page of HTML. */
const MAX_MESSAGE_CHARS = 200;

/** A JSON error body's message: OpenAI's `error.message`, Ollama's `error`, FastAPI's `detail`... */
function messageOf(body: unknown): string | undefined {
  if (typeof body === "string") return body;
  if (Array.isArray(body)) return body.length > 0 ? messageOf(body[0]) : undefined;
  if (!body || typeof body !== "object") return undefined;
  const o = body as Record<string, unknown>;
  for (const key of ["error", "message", "detail", "msg"]) {
    const found = messageOf(o[key]);
    if (found) return found;
  }
  return undefined;
}

/**
 * The server's own words in a failure message: `HTTP 404: {"error":{"message":"The model ..."}}`
 * gives `The model ...`; a body that is not JSON is kept as text; whitespace collapsed, cut to
 * 200 characters. Client-side failures (timeouts, connections) are kept as the client wrote them.
 */
export function serverMessage(message: string): string {
  const http = /^HTTP \d+(?::\s*([\s\S]*))?$/.exec(message);
  let text = message;
  if (http) {
    const body = http[1] ?? "";
    try {
      text = messageOf(JSON.parse(body)) ?? body;
    } catch {
      text = body;
    }
    if (!text) text = "(empty body)";
  }
  text = text.replace(/\s+/g, " ").trim();
  return text.length > MAX_MESSAGE_CHARS ? `${text.slice(0, MAX_MESSAGE_CHARS - 1)}…` : text;
}

type Entry = Omit<HealthError, "hint">;

/**
 * The failures of each (target, phase) as they happen: a count per failure kind and HTTP status,
 * and the first message of each. Memory stays flat: kinds × statuses per phase.
 */
export class FailureLog {
  private readonly phases = new Map<string, Map<string, Entry>>();

  observe(sample: RequestSample): void {
    const f = sample.failure;
    if (sample.ok || !f) return;
    const phaseKey = `${sample.target}\u0000${sample.phase}`;
    let entries = this.phases.get(phaseKey);
    if (!entries) this.phases.set(phaseKey, (entries = new Map()));
    const key = `${f.kind}:${f.status ?? ""}`;
    const entry = entries.get(key);
    if (entry) entry.count++;
    else
      entries.set(key, {
        kind: f.kind,
        ...(f.status !== undefined ? { status: f.status } : {}),
        count: 1,
        message: serverMessage(f.message),
      });
  }

  /** The failures of `target` in `phases` (a sweep's steps are phases of their own), most frequent first. */
  errorsOf(target: string, phases: readonly string[]): Entry[] {
    const merged = new Map<string, Entry>();
    for (const phase of phases) {
      for (const [key, e] of this.phases.get(`${target}\u0000${phase}`) ?? []) {
        const seen = merged.get(key);
        if (seen) seen.count += e.count;
        else merged.set(key, { ...e });
      }
    }
    return [...merged.values()].sort((a, b) => b.count - a.count);
  }
}
