// Browser test of camera badge scanning on the phone capture page. Debian's Chromium has no BarcodeDetector and no
// camera, so the page gets a stand-in detector (answering with a known code) and a canvas stream as the camera;
// what is tested is the page's own path: camera offered, stream started, code read into the badge field, camera off.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, newContext } from "../../../e2e/helpers/browser.ts";
import { type SeededServer, startSeededServer } from "../../../e2e/helpers/test-server.ts";

let server: SeededServer;
let browser: Browser;
beforeAll(async () => {
  [server, browser] = await Promise.all([startSeededServer(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("phone capture camera", () => {
  it("reads a badge QR from the camera into the badge field and stops the camera", async () => {
    const context = await newContext(browser, { width: 390, height: 844 });
    await context.addInitScript(() => {
      const w = window as unknown as Record<string, unknown>;
      w.__detections = 0;
      w.BarcodeDetector = class {
        async detect() {
          w.__detections = (w.__detections as number) + 1;
          return (w.__detections as number) >= 2 ? [{ rawValue: "BADGE-CODE-FROM-CAMERA" }] : [];
        }
      };
      navigator.mediaDevices.getUserMedia = async () => {
        const canvas = document.createElement("canvas");
        canvas.width = 64;
        canvas.height = 64;
        canvas.getContext("2d")?.fillRect(0, 0, 64, 64);
        return canvas.captureStream(5);
      };
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${server.url}/leads/capture`);
    await page.getByLabel("Email").fill(server.admin.email);
    await page.getByLabel("Password").fill(server.admin.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("button", { name: "Northwind Customer Summit" }).click();
    await page.getByRole("heading", { name: /Capture at Northwind Customer Summit/ }).waitFor();

    await page.getByRole("button", { name: "Scan with camera" }).click();
    await expect
      .poll(() => page.getByLabel("Badge code").inputValue(), { timeout: 10_000 })
      .toBe("BADGE-CODE-FROM-CAMERA");
    expect(await page.locator("video").count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __detections: number }).__detections)).toBe(2);
    expect(errors).toEqual([]);
  });
});
