import { UsageError } from "../errors.js";
import type { CacheMode } from "../record/cache-use.js";

/** Whether the response cache serves this run, and why not when it was asked for. */
export interface CacheChoice {
  mode: CacheMode;
  note?: string;
}

/** CI runners set CI (true on GitHub Actions, GitLab, CircleCI, Buildkite; 1 on some): anything but empty, 0 or false. */
export const isCi = (env: NodeJS.ProcessEnv): boolean => {
  const ci = (env.CI ?? "").trim().toLowerCase();
  return ci !== "" && ci !== "0" && ci !== "false";
};

/**
 * The cache's rules: it serves iteration, never the gate. Off unless asked for (`--cache`, or the
 * suite's `quality: { cache: true }`); under CI it stays off even when asked for, unless forced
 * (`--cache=force`), since a gate answered from an earlier run's answers measures nothing;
 * `--no-cache` turns it off whatever else says. `flag` is commander's value: true (--cache),
 * "force" (--cache=force), false (--no-cache) or undefined.
 */
export function chooseCache(
  flag: boolean | string | undefined,
  suiteAsks: boolean,
  env: NodeJS.ProcessEnv,
): CacheChoice {
  if (typeof flag === "string" && flag !== "force") {
    throw new UsageError(
      `--cache takes no value but force, got ${flag}`,
      "write --cache=force (with the equals sign), or put the suite before --cache",
    );
  }
  if (flag === false) return { mode: "off" };
  if (flag === "force") return { mode: "force" };
  if (flag !== true && !suiteAsks) return { mode: "off" };
  if (isCi(env)) {
    const asker = flag === true ? "--cache" : "quality.cache";
    return {
      mode: "off",
      note: `${asker} is not read under CI=true: a gate is measured; --cache=force reads it`,
    };
  }
  return { mode: "on" };
}
