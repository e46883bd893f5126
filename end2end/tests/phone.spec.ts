// The portal on a phone (390 × 844, touch): a one-row header whose menu works without
// JavaScript, the board's offers before its folded filters, controls big enough for a finger
// (44 px), the three visitors' doors on the home page, and commune fields that take a name.
import { type Page, expect, test } from "@playwright/test";
import { islandsReady } from "./people";

test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

/** The controls a finger must hit that are smaller than 44 × 44 px (links inside sentences are
 * not controls; checkboxes and radios are hit through their label). */
async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const controls = document.querySelectorAll(
      "button, select, summary, input:not([type=checkbox]):not([type=radio]):not([type=hidden]), .site-header a, nav.visitors a, a.button",
    );
    return [...controls]
      // Shown: not in a folded <details>, not display: none.
      .filter((e) => e.checkVisibility({ visibilityProperty: true }))
      .map((e) => ({ e, box: e.getBoundingClientRect() }))
      .filter(({ box }) => box.height < 43.5 || box.width < 43.5)
      .map(({ e, box }) => `${e.outerHTML.slice(0, 120)} (${Math.round(box.width)} × ${Math.round(box.height)})`);
  });
}

for (const path of ["/", "/offres", "/aides", "/evenements", "/communes/12202-rodez", "/carte", "/inscription"]) {
  test(`sur un téléphone, les commandes de ${path} se touchent du doigt`, async ({ page }) => {
    expect((await page.goto(path))?.status()).toBe(200);
    expect(await smallTargets(page)).toEqual([]);
  });
}

test("sur un téléphone, l'en-tête tient sur une ligne et son menu s'ouvre", async ({ page }) => {
  await page.goto("/");
  const header = page.locator("header.site-header");
  expect((await header.boundingBox())!.height).toBeLessThan(70);
  const links = page.getByRole("navigation", { name: "Navigation principale" });
  await expect(links).toBeHidden();
  await page.locator(".site-menu > summary").tap();
  await expect(links.getByRole("link", { name: "Offres" })).toBeVisible();
  await links.getByRole("link", { name: "Événements" }).tap();
  await expect(page).toHaveURL(/\/evenements$/);
});

test("sur un téléphone, la liste des offres vient avant les filtres, qui disent ce qu'ils retiennent", async ({
  page,
}) => {
  await page.goto("/offres?type=remplacement&dep=12");
  const summary = page.locator("details.filters-panel > summary");
  await expect(summary).toContainText("Filtres : Remplacement · Aveyron");
  await expect(page.locator("form.filters")).toBeHidden();
  // The first offer shows on the first screen.
  const first = page.locator("#offres-liste li.offer-card").first();
  expect((await first.boundingBox())!.y).toBeLessThan(844);
  await summary.tap();
  await expect(page.getByRole("button", { name: "Filtrer" })).toBeVisible();
});

test("l'accueil ouvre à chacun sa porte en un clic", async ({ page }) => {
  await page.goto("/");
  const doors = page.getByRole("navigation", { name: "Je suis…" });
  for (const [words, url] of [
    ["remplacement", /\/offres\?type=remplacement$/],
    ["installation", /\/offres\?type=installation$/],
    ["stage", /\/offres\?type=stage$/],
    ["collectivité", /\/organisations\/nouvelle$/],
  ] as const) {
    await doors.getByRole("link", { name: new RegExp(words) }).tap();
    await expect(page).toHaveURL(url);
    await page.goBack();
  }
});

/** Every field that asks for a commune takes its name: none asks for an INSEE code. */
test("les champs de commune prennent un nom ou un code postal, jamais un code INSEE", async ({ page }) => {
  for (const path of ["/offres", "/aides"]) {
    await page.goto(path);
    await expect(page.locator("form").getByText(/INSEE/)).toHaveCount(0);
  }
  // The board around a commune named as people name it.
  await page.goto("/offres?autour=Millau&rayon=30");
  await expect(page.locator("#resultats")).toContainText("à moins de 30 km de Millau");
  await expect(page.getByLabel("Autour de la commune")).toHaveValue("Millau");
  // By postal code, in the simulator.
  await page.goto("/aides?commune=12300");
  await expect(page.locator("#simulation")).toContainText("Decazeville");
});

test("avec JavaScript, le champ de commune suggère des communes", async ({ page }, testInfo) => {
  test.skip(testInfo.project.name === "sans-js", "suggestions need the island");
  await page.goto("/aides");
  await islandsReady(page);
  const field = page.getByLabel("Commune envisagée");
  await field.pressSequentially("Decaz");
  const suggestion = page.locator("#commune-suggestions button").first();
  await expect(suggestion).toContainText("Decazeville");
  await suggestion.tap();
  await expect(field).toHaveValue("Decazeville (12)");
  await page.getByRole("button", { name: "Voir les aides" }).tap();
  await expect(page.locator("#simulation")).toContainText("Decazeville");
});
