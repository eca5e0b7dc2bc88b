import { z } from "zod";
import { parseDurationMs } from "../util/duration.js";
import { LIMITS, overLimit } from "./limits.js";

/** A duration field of the suite: "500ms", "30s", "2m", "1h" or a number of seconds, up to a week. */
export const DurationField = z
  .union([z.number().nonnegative(), z.string()])
  .superRefine((v, ctx) => {
    const ms = parseDurationMs(v);
    if (ms === undefined)
      ctx.addIssue({ code: "custom", message: "expected a duration such as 500ms, 30s or 2m" });
    else if (ms > LIMITS.duration.max) ctx.addIssue({ code: "custom", message: overLimit("duration") });
  })
  .describe("A duration: 500ms, 30s, 2m, or a number of seconds (at most 7 days)");
