/**
 * The response cache's part in a run, as run.json records it. The cache serves local iteration:
 * it is off unless asked for (`--cache`, `quality: { cache: true }`), and under CI=true it is off
 * unless forced (`--cache=force`), so a gate is measured, never read back.
 */
export type CacheMode = "off" | "on" | "force";

export interface CacheUse {
  mode: CacheMode;
  /** Why it is off although the suite or the command line asked for it (CI=true). */
  note?: string;
  /** Quality answers read from the cache, out of `of` quality answers in the run. */
  answers: number;
  of: number;
  /** Per target: whether its server says which version of the model it serves (see ServerInfo). */
  targets: Array<{ target: string; versioned: boolean; identity?: Record<string, string | number> }>;
}
