import { createContext, Script } from "node:vm";

const context = createContext({ pattern: "", flags: "", input: "" });
const script = new Script("new RegExp(pattern, flags).test(input)");

export class RegexTimeoutError extends Error {}

/**
 * Tests a regular expression against a text with a time limit. V8 cannot interrupt a regex
 * mid-match, but the vm module's timeout can: a catastrophically backtracking pattern
 * (/(a+)+$/ on "aaaa…b") becomes a failed assertion with a reason instead of a hung run.
 */
export function boundedRegexTest(pattern: string, flags: string, input: string, timeoutMs = 200): boolean {
  Object.assign(context, { pattern, flags, input });
  try {
    return script.runInContext(context, { timeout: timeoutMs }) === true;
  } catch (err) {
    if ((err as { code?: string }).code === "ERR_SCRIPT_EXECUTION_TIMEOUT") {
      throw new RegexTimeoutError(
        `regex /${pattern}/ ran longer than ${timeoutMs} ms (catastrophic backtracking?)`,
      );
    }
    throw err;
  } finally {
    context.input = "";
  }
}
