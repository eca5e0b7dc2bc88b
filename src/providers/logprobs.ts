import type { TokenLogprob } from "../record/response.js";
import { obj } from "./wire.js";

// Per-token logprobs in each wire format's shape, read into one type. Entries that are not well
// formed are skipped: logprobs are a measurement aid, never a reason to fail the answer.

const isPair = (token: unknown, logprob: unknown): boolean =>
  typeof token === "string" && typeof logprob === "number" && Number.isFinite(logprob);

/** Alternatives, most likely first, whatever order the server listed them in. */
const byLikelihood = (top: Array<[string, number]>) => top.sort((a, b) => b[1] - a[1]);

/** OpenAI chat: `choice.logprobs.content[]` of `{token, logprob, top_logprobs: [{token, logprob}]}`. */
export function chatLogprobs(value: unknown): TokenLogprob[] | undefined {
  const content = obj(value)?.content;
  if (!Array.isArray(content) || content.length === 0) return undefined;
  const tokens: TokenLogprob[] = [];
  for (const raw of content) {
    const e = obj(raw);
    if (!e || !isPair(e.token, e.logprob)) continue;
    const top: Array<[string, number]> = [];
    for (const alt of Array.isArray(e.top_logprobs) ? e.top_logprobs : []) {
      const a = obj(alt);
      if (a && isPair(a.token, a.logprob)) top.push([a.token as string, a.logprob as number]);
    }
    tokens.push({ token: e.token as string, logprob: e.logprob as number, top: byLikelihood(top) });
  }
  return tokens.length ? tokens : undefined;
}

/**
 * Legacy completions (vLLM, SGLang, llama.cpp, OpenAI): `choice.logprobs` of parallel arrays
 * `tokens`, `token_logprobs` and `top_logprobs` (one `{token: logprob}` object per token).
 */
export function completionLogprobs(value: unknown): TokenLogprob[] | undefined {
  const lp = obj(value);
  if (!lp || !Array.isArray(lp.tokens) || !Array.isArray(lp.token_logprobs)) return undefined;
  const tops = Array.isArray(lp.top_logprobs) ? lp.top_logprobs : [];
  const tokens: TokenLogprob[] = [];
  lp.tokens.forEach((token: unknown, i: number) => {
    const logprob: unknown = (lp.token_logprobs as unknown[])[i];
    if (!isPair(token, logprob)) return;
    const top: Array<[string, number]> = [];
    for (const [alt, altLogprob] of Object.entries(obj(tops[i]) ?? {}))
      if (isPair(alt, altLogprob)) top.push([alt, altLogprob as number]);
    tokens.push({ token: token as string, logprob: logprob as number, top: byLikelihood(top) });
  });
  return tokens.length ? tokens : undefined;
}

/**
 * TGI: a token `{text, logprob, special}` and its alternatives `[{text, logprob}]` (from
 * `top_n_tokens`). Special tokens (EOS) are not generated content and are left out.
 */
export function tgiTokenLogprob(token: unknown, alternatives: unknown): TokenLogprob | undefined {
  const t = obj(token);
  if (!t || t.special === true || !isPair(t.text, t.logprob)) return undefined;
  const top: Array<[string, number]> = [];
  for (const alt of Array.isArray(alternatives) ? alternatives : []) {
    const a = obj(alt);
    if (a && a.special !== true && isPair(a.text, a.logprob))
      top.push([a.text as string, a.logprob as number]);
  }
  return { token: t.text as string, logprob: t.logprob as number, top: byLikelihood(top) };
}
