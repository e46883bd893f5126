// The map in Chromium: without JavaScript the list and the legend stand in for it; hydrated,
// MapLibre draws our own layers (WebGL by software rendering), a click on a commune opens its
// popup with its zoning, the controls recolour and filter, and "chercher dans cette zone"
// takes the visible area to the board. Rodez (12202) is in ZAC.
import { expect, test, type Page } from "@playwright/test";
import { islandsReady, openMap } from "./people";

/** A point of the canvas over Rodez with no offer or structure drawn on it. */
async function pointOverCommune(page: Page, code: string): Promise<{ x: number; y: number }> {
  const point = await page.evaluate((code) => {
    const map = (document.getElementById("carte-canvas") as any).maplibreMap;
    const canvas = map.getCanvas();
    const [w, h] = [canvas.clientWidth, canvas.clientHeight];
    // Free: over the commune and nothing else, and so are the points 8 px around (a click
    // a pixel off must not land on a neighbour or a marker).
    const free = (x: number, y: number) => {
      const here = map.queryRenderedFeatures([x, y]);
      const commune = here.find((f: any) => f.layer.id === "communes");
      const above = here.some((f: any) => ["offres", "offres-groupes", "structures", "internes"].includes(f.layer.id));
      return commune && commune.properties.c === code && !above;
    };
    for (let y = 30; y < h - 30; y += 12) {
      for (let x = 30; x < w - 70; x += 12) {
        if ([[0, 0], [8, 0], [-8, 0], [0, 8], [0, -8]].every(([dx, dy]) => free(x + dx, y + dy))) return { x, y };
      }
    }
    return null;
  }, code);
  expect(point, `a free point over ${code}`).not.toBeNull();
  return point!;
}

test("la carte montre le zonage d'une commune au clic, avec sa légende et la liste de la zone", async ({ page }, testInfo) => {
  const hydrated = testInfo.project.name === "avec-js";
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto("/communes/12202-rodez");
  const map = page.locator("section.map");
  await expect(map.getByRole("heading", { name: "Carte : Rodez et ses environs" })).toBeVisible();
  await expect(map.locator(".map-legend")).toContainText("Zone d'action complémentaire (ZAC)");
  await expect(map.locator(".map-list")).toContainText("Structures de santé");
  await expect(map.locator(".map-list")).toContainText("MSP FAUBOURG - 4 SAISONS - RODEZ");

  if (!hydrated) {
    await expect(map.locator(".map-nojs")).toBeVisible();
    await expect(page.locator("#carte-canvas")).toBeHidden();
    // The area as a plain link: the board filtered to it.
    await map.getByRole("link", { name: "Chercher dans cette zone" }).click();
    await expect(page).toHaveURL(/\/offres\?zone=[\d.]+%2C[\d.]+%2C[\d.]+%2C[\d.]+$/);
    await expect(page.getByText("Dans la zone choisie sur la carte.")).toBeVisible();
    return;
  }

  await islandsReady(page);
  await expect(map.locator(".map-nojs")).toBeHidden();
  // MapLibre comes when the map nears the viewport.
  await openMap(page);
  // Every tile of our layers drawn before looking at pixels.
  await page.waitForFunction(() => {
    const m = (document.getElementById("carte-canvas") as any).maplibreMap;
    return m.loaded() && m.areTilesLoaded() && m.queryRenderedFeatures({ layers: ["communes"] }).length > 0;
  });
  // The mouse clicks where the screen shows: bring the map into view first.
  await page.locator("#carte-canvas").scrollIntoViewIfNeeded();
  const point = await pointOverCommune(page, "12202");
  const box = (await page.locator("#carte-canvas canvas").boundingBox())!;
  await page.mouse.click(box.x + point.x, box.y + point.y);
  const popup = page.locator(".maplibregl-popup");
  await expect(popup).toContainText("Rodez");
  await expect(popup).toContainText("Zonage : Zone d'action complémentaire (ZAC)");
  await expect(popup).toContainText(/APL .* : 4,27/);
  await expect(popup.getByRole("link", { name: "Page de la commune" })).toHaveAttribute("href", "/communes/12202-rodez");
  await page.screenshot({ path: testInfo.outputPath("carte-rodez.png") });
  await testInfo.attach("carte-rodez", { path: testInfo.outputPath("carte-rodez.png"), contentType: "image/png" });

  // Recolour by APL: the legend follows; hide the établissements: the layer's filter follows.
  await map.getByLabel("Accès aux généralistes (APL)").check();
  await expect(map.locator(".map-legend")).toContainText("APL moins de 2,5 : sous-dotée");
  await map.getByLabel("Établissement de santé").uncheck();
  const filter = await page.evaluate(() =>
    JSON.stringify((document.getElementById("carte-canvas") as any).maplibreMap.getFilter("structures")),
  );
  expect(filter).not.toContain("etablissement_sante");

  // Keyboard and controls: centre on a département, the list follows the new area.
  const before = await map.getByRole("link", { name: "Chercher dans cette zone" }).getAttribute("href");
  await map.getByLabel("Centrer la carte sur").selectOption("34");
  await expect(map.getByRole("link", { name: "Chercher dans cette zone" })).not.toHaveAttribute("href", before!);
  await expect(map.locator(".map-list")).toContainText("Montpellier", { timeout: 15_000 });
  expect(errors).toEqual([]);
});

test("la grande carte suit les filtres du tableau des offres", async ({ page }, testInfo) => {
  const hydrated = testInfo.project.name === "avec-js";
  await page.goto("/offres?type=remplacement");
  if (hydrated) await islandsReady(page);
  await page.getByRole("link", { name: "Voir ces offres sur la grande carte" }).click();
  await expect(page).toHaveURL(/\/carte\?type=remplacement$/);
  const list = page.locator(".map-list");
  await expect(list).toContainText(/\d+ offres? ouvertes?/);
  const kinds = await list.locator("ul.map-offers li").allInnerTexts();
  expect(kinds.length).toBeGreaterThan(0);
  for (const item of kinds) expect(item).toContain("Remplacement");
  if (hydrated) {
    await islandsReady(page);
    await openMap(page);
    // The offers the map drew are those of the filter.
    const kinds = await page.evaluate(async () => {
      const m = (document.getElementById("carte-canvas") as any).maplibreMap;
      await new Promise((done) => {
        const check = () => (m.isSourceLoaded("offres") ? done(null) : setTimeout(check, 100));
        check();
      });
      const data = await m.getSource("offres").getData();
      return [...new Set(data.features.map((f: any) => f.properties.k))];
    });
    expect(kinds).toEqual(["Remplacement"]);
  }
});

test("la carte du tableau des offres suit la recherche pendant la frappe", async ({ page }, testInfo) => {
  test.skip(testInfo.project.name === "sans-js", "without JavaScript the search is a submitted form");
  await page.goto("/offres");
  await islandsReady(page);
  await openMap(page);
  // How many offers the map draws, once its offers' source has loaded.
  const drawn = () =>
    page.evaluate(async () => {
      const m = (document.getElementById("carte-canvas") as any).maplibreMap;
      await new Promise((done) => {
        const check = () => (m.isSourceLoaded("offres") ? done(null) : setTimeout(check, 100));
        check();
      });
      return (await m.getSource("offres").getData()).features.length;
    });
  const all = await drawn();
  expect(all).toBeGreaterThan(0);
  // The search island tells the map island of the page: no reload, the map follows.
  await page.getByLabel("Rechercher dans les offres").pressSequentially("remplacement", { delay: 30 });
  await expect(page).toHaveURL(/\/offres\?q=remplacement$/);
  await expect(page.locator("#resultats")).toContainText(/\d+ offres?/);
  await expect.poll(drawn, { timeout: 15_000 }).toBeLessThan(all);
  expect(await drawn()).toBeGreaterThan(0);
});

test("sans JavaScript, la carte de la région reste une image du zonage, sans bouton qui ne ferait rien", async ({ page }, testInfo) => {
  test.skip(testInfo.project.name === "avec-js", "what a browser without JavaScript shows");
  await page.goto("/carte");
  const preview = page.locator("#carte-canvas img.map-preview");
  await expect(preview).toBeVisible();
  await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  await expect(page.locator("#carte-canvas .map-start")).toBeHidden();
  await expect(page.locator(".map-controls")).toBeHidden();
  await expect(page.locator(".map-nojs")).toBeVisible();
  // A map with no picture (a commune's) is left out, its list and legend stay.
  await page.goto("/communes/12202-rodez");
  await expect(page.locator("#carte-canvas")).toBeHidden();
  await expect(page.locator(".map-list")).toContainText("Structures de santé");
});
