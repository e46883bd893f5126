// What only the hydrated page does. Skipped in the JavaScript-off project, where the plain
// form of territories.spec.ts is the way to search.
import { createHash } from "node:crypto";
import { expect, test } from "@playwright/test";
import { islandsReady, openMap } from "./people";

test.beforeEach(({}, testInfo) => {
  test.skip(testInfo.project.name === "sans-js", "needs the wasm bundle");
});

test("la page s'hydrate sans erreur dans la console", async ({ page }) => {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto("/");
  await islandsReady(page);
  expect(errors).toEqual([]);
});

test("la recherche suggère des communes pendant la frappe", async ({ page }) => {
  await page.goto("/");
  await islandsReady(page);
  const box = page.getByLabel("Rechercher une commune (nom ou code postal)");
  await box.pressSequentially("roDE", { delay: 50 });
  const suggestions = page.getByRole("list", { name: "Suggestions de communes" });
  const rodez = suggestions.getByRole("link", { name: "Rodez", exact: true });
  await expect(rodez).toBeVisible();
  // Nothing was submitted: the suggestions came while typing.
  await expect(page).toHaveURL(/\/$/);
  await rodez.click();
  await expect(page).toHaveURL(/\/communes\/12202-rodez$/);
  await expect(page.locator("[data-figure=population]")).toHaveText("23\u202f981");
});

test("la politique de sécurité du contenu laisse la page s'hydrater et ne bloque rien", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (message.text().includes("Content Security Policy")) violations.push(`console: ${message.text()}`);
  });
  // Reported by each document from its first script on, through a binding that survives
  // navigations (neither the binding nor the init script is subject to the page's policy).
  await page.exposeFunction("reportCspViolation", (text: string) => violations.push(`event: ${text}`));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const report = (window as unknown as { reportCspViolation: (text: string) => void }).reportCspViolation;
      report(`${event.effectiveDirective} ${event.blockedURI}`);
    });
  });

  // The policy is really there, and it names the islands' loader, the page's one inline
  // script, by the digest of its text: no nonce, so the page is the same for every visitor.
  const response = await page.goto("/");
  const policy = response?.headers()["content-security-policy"] ?? "";
  const digest = /script-src 'sha256-([^']+)' 'self' 'wasm-unsafe-eval'/.exec(policy)?.[1];
  expect(digest, policy).toBeTruthy();
  expect(policy).not.toContain("nonce-");
  await islandsReady(page);
  const inline = await page.locator("script:not([src]):not([type='application/ld+json'])").allTextContents();
  expect(inline).toHaveLength(1);
  expect(createHash("sha256").update(inline[0]).digest("base64")).toBe(digest);
  const again = await page.request.get("/");
  expect(again.headers()["content-security-policy"]).toBe(policy);

  // Suggestions come from a server function: a fetch, which connect-src must allow.
  const box = page.getByLabel("Rechercher une commune (nom ou code postal)");
  await box.pressSequentially("roDE", { delay: 50 });
  const suggestions = page.getByRole("list", { name: "Suggestions de communes" });
  await suggestions.getByRole("link", { name: "Rodez", exact: true }).click();
  await expect(page).toHaveURL(/\/communes\/12202-rodez$/);
  await expect(page.locator("[data-figure=population]")).toHaveText("23\u202f981");

  // The commune page loaded on its own: JSON-LD, islands, MapLibre once the map is near.
  await page.goto("/communes/12202-rodez");
  await islandsReady(page);
  await openMap(page);
  await expect(page.locator("[data-figure=population]")).toHaveText("23\u202f981");
  expect(violations).toEqual([]);

  // The watch works: an inline script without the nonce is refused and reported both ways.
  await page.evaluate(() => {
    const script = document.createElement("script");
    script.textContent = "document.body.dataset.injected = 'true';";
    document.body.append(script);
  });
  await expect.poll(() => violations.some((v) => v.startsWith("event: script-src-elem inline"))).toBe(true);
  await expect.poll(() => violations.some((v) => v.startsWith("console: "))).toBe(true);
  await expect(page.locator("body")).not.toHaveAttribute("data-injected", "true");
});

test("une page sans île ne charge ni script ni WebAssembly ; une page avec une carte charge MapLibre quand la carte approche", async ({ page }) => {
  const loaded: string[] = [];
  page.on("request", (request) => {
    if (/\.(m?js|wasm)(\?.*)?$/.test(new URL(request.url()).pathname)) loaded.push(new URL(request.url()).pathname);
  });
  // (The aids' simulator has an island now: its commune field suggests communes.)
  for (const path of ["/connexion", "/inscription", "/evenements", "/confidentialite", "/guichet-unique"]) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
    expect(await page.locator("leptos-island").count(), path).toBe(0);
    expect(await page.locator("script:not([type='application/ld+json'])").count(), path).toBe(0);
    expect(loaded, path).toEqual([]);
  }

  // A commune: its islands load the bundle once the page is idle, MapLibre only when the map nears.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/communes/12202-rodez");
  await islandsReady(page);
  expect(loaded.some((p) => p.endsWith(".wasm"))).toBe(true);
  await page.waitForLoadState("networkidle");
  expect(loaded.filter((p) => p.includes("maplibre"))).toEqual([]);
  expect(await page.locator("link[href*=maplibre]").count()).toBe(0);
  await openMap(page);
  expect(loaded.filter((p) => p.includes("maplibre"))).toEqual(["/vendor/maplibre-gl/maplibre-gl.js"]);
});

test("la zone de la carte est réservée : rien ne bouge quand elle se dessine", async ({ page }) => {
  await page.goto("/carte");
  // Boxes are measured in the viewport: the map is brought into view first, so that opening it
  // does not scroll.
  await page.locator("#carte-canvas").scrollIntoViewIfNeeded();
  const before = await page.locator("#carte-canvas").boundingBox();
  const list = await page.locator(".map-list").boundingBox();
  await islandsReady(page);
  await openMap(page);
  await expect(page.locator("#carte-canvas[data-carte-dessinee]")).toBeAttached({ timeout: 20_000 });
  expect(await page.locator("#carte-canvas").boundingBox()).toEqual(before);
  expect(await page.locator(".map-list").boundingBox()).toEqual(list);
});

test("la carte de la région est d'abord une image ; MapLibre ne vient qu'à la demande, et la remplace", async ({ page }) => {
  const loaded: string[] = [];
  page.on("request", (request) => loaded.push(new URL(request.url()).pathname));
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/carte");
  const preview = page.locator("#carte-canvas img.map-preview");
  await expect(preview).toBeVisible();
  await expect(preview).toHaveAttribute("alt", /zonage de l'ARS/);
  // The picture has arrived and is drawn (an image that failed has no natural width).
  await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  await islandsReady(page);
  await page.waitForLoadState("networkidle");
  expect(loaded.filter((p) => p.includes("maplibre") || p.endsWith(".geojson"))).toEqual([]);

  await page.getByRole("button", { name: /Ouvrir la carte interactive/ }).click();
  await expect(page.locator("#carte-canvas[data-carte-dessinee]")).toBeAttached({ timeout: 20_000 });
  await expect(preview).toBeHidden();
  await expect(page.locator("#carte-canvas .map-start")).toBeHidden();
  expect(loaded).toContain("/vendor/maplibre-gl/maplibre-gl.js");
  expect(loaded).toContain("/carte/couches/communes.geojson");
});
