// Pictures of the main pages as a visitor sees them, on a phone (390 px) and a laptop
// (1366 px): the README shows them, and each CI run keeps its own (E2E_SCREENSHOTS_DIR, set by
// .ci/test) so that a change of look can be seen. Taken hydrated, maps drawn; the pictures are
// of the first screen, as a visitor meets the page.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { islandsReady, openMap } from "./people";

const DIR = process.env.E2E_SCREENSHOTS_DIR;
const PAGES: [string, string][] = [
  ["accueil", "/"],
  ["offres", "/offres?type=remplacement"],
  ["offre", ""], // the first offer of the board
  ["commune", "/communes/12202-rodez"],
  ["carte", "/carte"],
  ["aides", "/aides?profil=installe_recent&commune=Decazeville"],
];
const WIDTHS: [string, number, number][] = [
  ["telephone", 390, 844],
  ["ordinateur", 1366, 768],
];

test.describe("écrans", () => {
  test.skip(!DIR, "E2E_SCREENSHOTS_DIR names where to keep the pictures");
  test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, "taken once, hydrated");

  for (const [width, w, h] of WIDTHS) {
    test(`écrans des pages principales (${width}, ${w} px)`, async ({ page }) => {
      test.setTimeout(120_000);
      mkdirSync(DIR!, { recursive: true });
      await page.setViewportSize({ width: w, height: h });
      for (const [name, path] of PAGES) {
        let address = path;
        if (!address) {
          await page.goto("/offres");
          address = (await page.locator("li.offer-card h3 a").first().getAttribute("href"))!;
        }
        expect((await page.goto(address))?.status(), address).toBe(200);
        await islandsReady(page);
        if (name === "carte") await openMap(page);
        await page.screenshot({ path: join(DIR!, `${name}-${width}.jpg`), type: "jpeg", quality: 70 });
      }
    });
  }
});
