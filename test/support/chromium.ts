import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where Debian's `chromium` package installs its launcher; we use the system browser, never a downloaded one. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Headless, and quiet: the background-networking flags stop Chromium from phoning home on its own,
 * so any non-local request a test sees really came from the page under test.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Whether Debian's chromium is installed on this machine. */
export function hasChromium(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/** Launches Debian's chromium headless through playwright-core; throws a clear error if the package is not installed. */
export async function launchChromium(): Promise<Browser> {
  if (!hasChromium()) {
    // Tests never install browsers themselves; CI provisions the package (`apt-get install -y chromium`).
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install Debian's chromium package (apt-get install -y chromium)`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
}

/**
 * `describe` for browser tests: skipped only on a developer machine without chromium.
 * With CI set it always runs, so a missing browser fails loudly instead of silently skipping.
 */
export function describeWithChromium(name: string, fn: () => void): void {
  if (hasChromium() || process.env.CI) {
    describe(name, fn);
    return;
  }
  console.warn(`Skipping "${name}": ${CHROMIUM_PATH} is missing. Install Debian's chromium package (apt-get install -y chromium) to run it; in CI (CI set) it never skips.`);
  describe.skip(name, fn);
}
