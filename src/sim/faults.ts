import { z } from "zod";

/**
 * Faults the simulator injects, each with the probability that a request gets it (at most one per
 * request; the probabilities must sum to at most 1). What was injected is in the truth log.
 */
export const SimFaultsSchema = z
  .strictObject({
    http_429: z.number().min(0).max(1).default(0).describe("Answer 429 with Retry-After"),
    http_500: z.number().min(0).max(1).default(0).describe("Answer 500"),
    drop: z.number().min(0).max(1).default(0).describe("Close the connection mid-stream"),
    malformed: z.number().min(0).max(1).default(0).describe("Send a chunk that breaks the format mid-stream"),
    stall: z.number().min(0).max(1).default(0).describe("Send nothing after the headers for stall_ms"),
    trickle: z.number().min(0).max(1).default(0).describe("Send the response a few bytes at a time"),
    retry_after_s: z.number().nonnegative().default(1),
    stall_ms: z.number().nonnegative().default(30_000),
    trickle_bytes: z.number().int().positive().default(5),
    trickle_ms: z.number().nonnegative().default(1),
  })
  .refine((f) => f.http_429 + f.http_500 + f.drop + f.malformed + f.stall + f.trickle <= 1, {
    message: "fault probabilities must sum to at most 1",
  });
export type SimFaults = z.output<typeof SimFaultsSchema>;

export const FAULT_KINDS = ["http_429", "http_500", "drop", "malformed", "stall", "trickle"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Picks the fault for one request from a uniform draw in [0, 1). */
export function pickFault(faults: SimFaults | undefined, draw: number): FaultKind | undefined {
  if (!faults) return undefined;
  let edge = 0;
  for (const kind of FAULT_KINDS) {
    edge += faults[kind];
    if (draw < edge) return kind;
  }
  return undefined;
}
