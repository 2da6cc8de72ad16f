import { type Browser, type BrowserContext, chromium } from "playwright-core";

/** Debian's Chromium (apt-get install -y chromium); Playwright never downloads a browser here. */
export const CHROMIUM = "/usr/bin/chromium";

/**
 * Flags for a closed network and a root user: without the background-networking ones Chromium keeps dialling
 * Google's services, and the machine refuses each connection.
 */
export const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * Launches headless Chromium. Every launch gets a fresh, empty profile: Playwright refuses a --user-data-dir
 * argument in launch() and instead creates a new temporary one itself (playwright_chromiumdev_profile-*), removed
 * on close.
 */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs, timeout: 60_000 });
}

/** A new context (own cookies) with a fixed locale and a browser zone unlike any event's, so dates prove their zone. */
export async function newContext(
  browser: Browser,
  viewport = { width: 1280, height: 860 },
): Promise<BrowserContext> {
  return browser.newContext({ locale: "en-US", timezoneId: "UTC", viewport });
}
