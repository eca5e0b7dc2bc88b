import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

/** Debian's chromium package, unless CHROMIUM_PATH names another build. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Starts headless Chromium, or throws saying why and what to do: the browser tests must fail
 * loudly where no browser runs, never pass or skip quietly.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `headless Chromium not found at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium; .ci/run does) or set CHROMIUM_PATH`,
    );
  try {
    // --no-sandbox: CI containers run as root, where Chromium's sandbox refuses to start.
    return await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  } catch (e) {
    throw new Error(`headless Chromium at ${CHROMIUM} could not start: ${(e as Error).message}`);
  }
}
