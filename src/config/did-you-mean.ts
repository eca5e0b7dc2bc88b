/**
 * What to say about a field the schema does not know: what the user meant when the name comes from
 * another tool (k6's `vus`, promptfoo's `providers`), the snake_case form of a camelCase name
 * (`abortOnFail`), or the closest known name (`concurency`).
 */

/** Names other tools use, and what Gauntlet calls them (or why there is no such field). */
const FOREIGN_FIELDS: Readonly<Record<string, string>> = {
  // promptfoo
  providers: "promptfoo's providers are Gauntlet's targets: a map of name to { provider, base_url, model }",
  tests:
    "promptfoo's tests are Gauntlet's cases: a list of { prompt, vars, assert }, or { from: file.csv, prompt }",
  defaultTest:
    "Gauntlet has no defaultTest: write shared assertions on a dataset entry ({ from: file.csv, assert }), which applies them to every row",
  evaluateOptions: "promptfoo's evaluateOptions are Gauntlet's quality: { concurrency, retries, repeat }",
  maxConcurrency: "promptfoo's maxConcurrency is Gauntlet's quality.concurrency",
  outputPath: "the report folder is chosen on the command line: gauntlet run SUITE --out DIR",
  // k6
  vus: "k6's vus are Gauntlet's concurrency: N (users of a closed loop)",
  iterations: "k6's iterations are Gauntlet's requests: N (the phase ends after that many)",
  executor:
    "Gauntlet picks the executor from the phase's fields: concurrency (closed loop), rate (open loop), stages (ramp), sweep",
  preAllocatedVUs:
    "Gauntlet allocates nothing ahead: max_in_flight caps the requests in flight of an open loop",
  maxVUs: "k6's maxVUs is Gauntlet's max_in_flight (arrivals over it count as dropped)",
  startVUs: "k6's startVUs is Gauntlet's concurrency beside stages (a ramp of users from there)",
  startRate: "k6's startRate is Gauntlet's rate beside stages (a ramp of rate from there)",
  timeUnit: "Gauntlet's rate is always per second: divide by the time unit",
  gracefulStop: "k6's gracefulStop is Gauntlet's time_limit (the hard end of a phase)",
  scenarios: "k6's scenarios are Gauntlet's load: a list of phases, each with a name",
  options: "k6's options are top-level fields here: load (the phases) and thresholds",
};

/** `abortOnFail` → `abort_on_fail`, `max-tokens` → `max_tokens`. */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .replace(/-/g, "_")
    .toLowerCase();
}

/** Edit distance (insertions, deletions, substitutions), for names of a few dozen characters. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + cost));
    }
    previous = row;
  }
  return previous[b.length]!;
}

/**
 * The known name `name` most likely meant: its snake_case form, else the closest within a few
 * edits (one for short names, where two would reach unrelated ones); undefined when none is close.
 */
export function closestName(name: string, known: readonly string[]): string | undefined {
  const snake = snakeCase(name);
  if (snake !== name && known.includes(snake)) return snake;
  const lower = snake.toLowerCase();
  const allowed = lower.length <= 4 ? 1 : lower.length <= 10 ? 2 : 3;
  let best: string | undefined;
  let bestDistance = allowed + 1;
  for (const candidate of known) {
    const d = editDistance(lower, candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

/** The message for an unknown field, given the names known where it stands. */
export function unknownFieldMessage(key: string, known: readonly string[]): string {
  const foreign = Object.hasOwn(FOREIGN_FIELDS, key) ? FOREIGN_FIELDS[key] : undefined;
  if (foreign !== undefined) return `unknown field "${key}": ${foreign}`;
  const meant = closestName(key, known);
  if (meant !== undefined) return `unknown field "${key}" (did you mean "${meant}"?)`;
  return known.length > 0 && known.length <= 12
    ? `unknown field "${key}" (fields here: ${known.join(", ")})`
    : `unknown field "${key}"`;
}
