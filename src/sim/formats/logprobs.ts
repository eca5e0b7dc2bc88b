import { createRng, hashString } from "../../util/rng.js";
import type { SimLogprobs, SimRequest } from "./types.js";

/** The most alternatives per token the simulator gives, like vLLM's default --max-logprobs. */
export const MAX_TOP_LOGPROBS = 20;

export interface SimLogprob {
  token: string;
  logprob: number;
}

// Words the alternatives are drawn from; more than MAX_TOP_LOGPROBS, so any token has enough others.
// prettier-ignore
const VOCABULARY = [
  "the", "a", "an", "this", "that", "it", "is", "was", "and", "or", "but", "of",
  "to", "in", "on", "for", "with", "as", "at", "by", "from", "not", "so", "then",
];

/**
 * `count` candidates for the token at `position`, most likely first: the chosen token itself (so its
 * logprob is the first value), then other words with the same leading space. Deterministic in
 * (token, position, seed); the probabilities are strictly decreasing and sum to less than 1.
 */
export function tokenAlternatives(token: string, position: number, seed: number, count = 1): SimLogprob[] {
  const rng = createRng(hashString(`${position}\u0000${token}`, seed));
  let p = 0.35 + 0.6 * rng();
  const out: SimLogprob[] = [{ token, logprob: Math.log(p) }];
  let rest = 1 - p;
  const space = /^\s*/.exec(token)![0];
  let word = Math.floor(rng() * VOCABULARY.length);
  while (out.length < count) {
    const alt = space + VOCABULARY[word++ % VOCABULARY.length]!;
    if (alt === token) continue;
    // Each takes 40-50% of what is left: less likely than the one before, and the sum stays below 1.
    p = rest * (0.4 + 0.1 * rng());
    rest -= p;
    out.push({ token: alt, logprob: Math.log(p) });
  }
  return out;
}

/** Logprob of the chosen token, the first of `tokenAlternatives`. */
export const tokenLogprob = (token: string, position: number, seed: number): number =>
  tokenAlternatives(token, position, seed)[0]!.logprob;

/**
 * Checks a requested number of alternatives as vLLM does: a non-negative integer, at most
 * MAX_TOP_LOGPROBS (more is a 400 with vLLM's message, which `gauntlet probe` reads as the cap).
 */
export function checkTopLogprobs(
  value: unknown,
  field: string,
): Pick<SimRequest, "logprobs"> | { error: string } {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    return { error: `${field} must be a non-negative integer` };
  }
  if (value > MAX_TOP_LOGPROBS) {
    return {
      error: `Requested sample logprobs of ${value}, which is greater than max allowed: ${MAX_TOP_LOGPROBS}`,
    };
  }
  return { logprobs: value };
}

/** The logprobs settings a response is written with, from the request and the profile's seed. */
export const logprobsFor = (request: SimRequest, seed: number): SimLogprobs | undefined =>
  request.logprobs === undefined ? undefined : { top: request.logprobs, seed };
