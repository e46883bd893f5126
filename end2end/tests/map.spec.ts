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
  await expect(popup).toContainText(/APL .*\s: 4,27/);
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

test("sur un téléphone, la carte de la région vient d'abord, nomme les lieux, trouve une commune et garde son état dans l'adresse", async ({ page }, testInfo) => {
  test.skip(testInfo.project.name === "sans-js", "the live map needs JavaScript");
  test.setTimeout(120_000);
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/carte");
  // The map's top is within the first screen; its controls are folded under it.
  const top = (await page.locator("#carte-canvas").boundingBox())!.y;
  expect(top).toBeLessThan(844 - 200);
  await islandsReady(page);
  await expect(page.locator("details.map-controls")).not.toHaveAttribute("open", "");
  await openMap(page);
  const idle = () =>
    page.waitForFunction(() => {
      const m = (document.getElementById("carte-canvas") as any).maplibreMap;
      return m.loaded() && m.areTilesLoaded() && !m.isMoving();
    }, undefined, { timeout: 20_000 });
  await idle();
  // Names drawn by the map itself: départements and the largest towns at the region's zoom…
  const names = (layer: string) =>
    page.evaluate((layer) => {
      const m = (document.getElementById("carte-canvas") as any).maplibreMap;
      return m.queryRenderedFeatures({ layers: [layer] }).map((f: any) => [f.properties.n, f.properties.h]);
    }, layer);
  await expect.poll(async () => (await names("noms-departements")).length, { timeout: 15_000 }).toBeGreaterThan(3);
  const region = await names("noms-communes");
  expect(region.map(([n]) => n)).toContain("Toulouse");
  expect(Math.min(...region.map(([, h]) => h))).toBeGreaterThanOrEqual(40_000);
  await page.screenshot({ path: testInfo.outputPath("carte-390-region.png") });

  // …and a commune found by name: the map flies to it, outlines it, and names smaller places.
  await page.getByLabel("Aller à une commune").fill("Millau");
  await page.getByRole("button", { name: /^Millau/ }).first().click();
  await expect(page.locator(".map-place-said")).toContainText("Millau");
  await idle();
  const view = await page.evaluate(() => {
    const m = (document.getElementById("carte-canvas") as any).maplibreMap;
    const c = m.getCenter();
    return { lon: c.lng, lat: c.lat, zoom: m.getZoom(), outline: JSON.stringify(m.getFilter("commune-choisie")) };
  });
  expect(Math.abs(view.lon - 3.08)).toBeLessThan(0.2);
  expect(Math.abs(view.lat - 44.1)).toBeLessThan(0.2);
  expect(view.zoom).toBeGreaterThan(9);
  expect(view.outline).toContain("12145");
  await expect.poll(async () => (await names("noms-communes")).length).toBeGreaterThan(3);
  const closer = await names("noms-communes");
  expect(closer.map(([n]) => n)).toContain("Millau");
  expect(Math.min(...closer.map(([, h]) => h))).toBeLessThan(5_000);
  await expect(page).toHaveURL(/#vue=[\d.]+\/[\d.]+\/[\d.]+.*lieu=12145/);
  await page.screenshot({ path: testInfo.outputPath("carte-390-millau.png") });

  // The toggles drive the counts and the list, not the dots alone.
  await page.getByText("Couleurs, points montrés et centrage").click();
  const counts = page.locator(".map-counts");
  await expect(counts).toContainText("structure");
  await expect(counts).toContainText("gare");
  const before = await counts.innerText();
  await page.getByLabel("Gares SNCF").uncheck();
  await expect(counts).not.toContainText("gare");
  await expect(page.locator(".map-list")).not.toContainText("Gares");
  for (const kind of ["Maison de santé pluriprofessionnelle", "Centre de santé", "Établissement de santé"]) {
    await page.getByLabel(kind).uncheck();
  }
  await expect(counts).not.toContainText("structure");
  await expect(page.locator(".map-list h4", { hasText: "Structures de santé" })).toHaveCount(0);
  expect(await counts.innerText()).not.toEqual(before);
  const visibility = await page.evaluate(() =>
    (document.getElementById("carte-canvas") as any).maplibreMap.getLayoutProperty("gares", "visibility"),
  );
  expect(visibility).toBe("none");
  await expect(page).toHaveURL(/masquer=gares,msp,centre_sante,etablissement_sante/);

  // A popup near the map's right edge keeps its close button on the screen.
  await page.locator("#carte-canvas").scrollIntoViewIfNeeded();
  const edge = await page.evaluate(() => {
    const m = (document.getElementById("carte-canvas") as any).maplibreMap;
    const canvas = m.getCanvas();
    // Below the zoom buttons, above the sources' line.
    for (let y = 130; y < canvas.clientHeight - 60; y += 10) {
      const x = canvas.clientWidth - 14;
      const here = m.queryRenderedFeatures([x, y]);
      const free = !here.some((f: any) => ["offres", "offres-groupes", "structures", "internes", "gares"].includes(f.layer.id));
      if (free && here.some((f: any) => f.layer.id === "communes")) return { x, y };
    }
    return null;
  });
  expect(edge).not.toBeNull();
  const box = (await page.locator("#carte-canvas canvas").boundingBox())!;
  await page.mouse.click(box.x + edge!.x, box.y + edge!.y);
  const close = page.locator(".maplibregl-popup-close-button");
  await expect(close).toBeVisible();
  await expect(page.locator(".maplibregl-popup").getByRole("link", { name: "Page de la commune" })).toBeVisible();
  await page.waitForTimeout(400); // the map's move that brings the popup inside
  const closeBox = (await close.boundingBox())!;
  const mapBox = (await page.locator("#carte-canvas").boundingBox())!;
  expect(closeBox.x).toBeGreaterThanOrEqual(mapBox.x);
  expect(closeBox.x + closeBox.width).toBeLessThanOrEqual(Math.min(390, mapBox.x + mapBox.width));
  expect(closeBox.y).toBeGreaterThanOrEqual(mapBox.y);
  await page.screenshot({ path: testInfo.outputPath("carte-390-popup.png") });

  // The address opens the same map: view, outline and hidden points.
  const shared = page.url();
  await page.goto("about:blank");
  await page.goto(shared);
  await islandsReady(page);
  await expect(page.locator("#carte-canvas[data-carte=prete]")).toBeAttached({ timeout: 20_000 });
  await expect(page.getByLabel("Gares SNCF")).not.toBeChecked();
  await expect(page.getByLabel("Centre de santé")).not.toBeChecked();
  const again = await page.evaluate(() => {
    const m = (document.getElementById("carte-canvas") as any).maplibreMap;
    return { lon: m.getCenter().lng, outline: JSON.stringify(m.getFilter("commune-choisie")) };
  });
  expect(Math.abs(again.lon - view.lon)).toBeLessThan(0.05);
  expect(again.outline).toContain("12145");
  expect(errors).toEqual([]);
});

test("la carte montre les filtres des offres qu'elle suit, et les change sans JavaScript", async ({ page }) => {
  await page.goto("/carte?type=remplacement&equipe=oui");
  const filters = page.locator("form.map-filters");
  await expect(filters.getByLabel("Remplacement")).toBeChecked();
  await filters.getByLabel("Installation libérale").check();
  await filters.getByLabel("Département").selectOption("12");
  await filters.getByRole("button", { name: "Montrer ces offres" }).click();
  await expect(page).toHaveURL(/\/carte\?(q=&)?type=installation&type=remplacement&dep=12&equipe=oui$/);
  const items = await page.locator(".map-list ul.map-offers li").allInnerTexts();
  for (const item of items) expect(item).toMatch(/Installation libérale|Remplacement/);
});
