// The board's filters as people think: several types and départements at once, housing provided
// apart from help to find some, interns' housing near stage offers, practice in a team; and the order of fit for a person who said
// what they look for. With and without JavaScript (the filters are a plain GET form), and, in
// .ci/test, against each database and each search engine.
import { type Page, expect, test } from "@playwright/test";
import { signUp } from "./people";

// Each test loads the board a dozen times and asks the API as many: on two cores busy with the
// other pairs of database and engine, more than the default 30 s.
test.describe.configure({ timeout: 120_000 });

/** The number of offers the board's heading announces ("42 offres", "1 offre", "Aucune offre…"). */
async function announced(page: Page): Promise<number> {
  const heading = (await page.locator("#resultats").textContent()) ?? "";
  const figure = heading.replace(/[\u202f\u00a0 ]/g, "").match(/^(\d+)offres?/);
  return figure ? Number(figure[1]) : 0;
}

/** The values of `name` in the page's address (the form also sends its empty fields). */
function chosen(page: Page, name: string): string[] {
  return new URL(page.url()).searchParams.getAll(name).filter((value) => value !== "");
}

/** How many open offers the open API counts for these filters (the board's own meaning). */
async function counted(page: Page, filters: string): Promise<number> {
  const response = await page.request.get(`/api/v1/offres?${filters}`);
  expect(response.status()).toBe(200);
  return (await response.json()).total;
}

test("plusieurs types et départements à la fois, logement fourni à part, exercice en équipe", async ({ page }) => {
  await page.goto("/offres");
  const all = await announced(page);
  expect(all).toBeGreaterThan(50);

  const filters = page.getByRole("search", { name: "Filtrer les offres" });
  await filters.getByRole("checkbox", { name: /^Remplacement \(\d+\)$/ }).check();
  await filters.getByRole("checkbox", { name: /^Stage d'interne \(\d+\)$/ }).check();
  await filters.getByText("Départements : tous").click();
  await filters.getByRole("checkbox", { name: /^Aveyron \(\d+\)$/ }).check();
  await filters.getByRole("checkbox", { name: /^Hérault \(\d+\)$/ }).check();
  await filters.getByRole("button", { name: "Filtrer" }).click();
  await expect(page).toHaveURL(/\/offres\?.*dep=34/);
  expect(chosen(page, "type")).toEqual(["remplacement", "stage"]);
  expect(chosen(page, "dep")).toEqual(["12", "34"]);

  const both = await announced(page);
  expect(both).toBe(await counted(page, "type=remplacement,stage&dep=12,34"));
  expect(both).toBeGreaterThan(await counted(page, "type=remplacement&dep=12,34"));
  expect(both).toBeGreaterThan(await counted(page, "type=remplacement,stage&dep=12"));
  // Every card is of one of the kinds, in one of the départements.
  const metas = await page.locator("#offres-liste li.offer-card p.offer-meta:first-of-type").allTextContents();
  expect(metas.length).toBe(Math.min(both, 20));
  for (const meta of metas) {
    expect(meta).toMatch(/^(Remplacement|Stage d'interne)/);
    expect(meta).toMatch(/\((12|34)\)/);
  }
  // The boxes stay ticked, and the others still say what ticking them would add.
  await expect(filters.getByRole("checkbox", { name: /^Remplacement/ })).toBeChecked();
  await expect(filters.getByRole("checkbox", { name: /^Aveyron/ })).toBeChecked();
  await expect(filters.getByText("Départements : Aveyron, Hérault")).toBeVisible();
  const installation = await filters.getByRole("checkbox", { name: /^Installation libérale/ }).getAttribute("id");
  const label = (await filters.locator(`label[for="${installation}"]`).textContent()) ?? "";
  expect(Number(label.match(/\((\d+)\)$/)?.[1])).toBe(await counted(page, "type=installation&dep=12,34"));

  // Housing provided, not help to find one.
  await filters.getByRole("checkbox", { name: /^Logement fourni \(\d+\)$/ }).check();
  await filters.getByRole("button", { name: "Filtrer" }).click();
  await expect(page).toHaveURL(/logement=fourni/);
  expect(chosen(page, "logement")).toEqual(["fourni"]);
  const housed = await announced(page);
  expect(housed).toBe(await counted(page, "type=remplacement,stage&dep=12,34&logement=fourni"));
  expect(housed).toBeLessThan(both);
  for (const meta of await page.locator("#offres-liste li.offer-card p.offer-meta:nth-of-type(2)").allTextContents()) {
    expect(meta).toContain("Logement fourni");
  }

  // Interns' housing within 20 km counts for the stage offers alone (the examples publish
  // some beside each example stage site), added to the offers with housing provided.
  await page.goto("/offres");
  await filters.getByRole("checkbox", { name: /^Logement pour internes à moins de 20 km \(\d+\)$/ }).check();
  await filters.getByRole("button", { name: "Filtrer" }).click();
  await expect(page).toHaveURL(/logement=internes/);
  const interns = await announced(page);
  expect(interns).toBe(await counted(page, "logement=internes"));
  expect(interns).toBeGreaterThan(0);
  for (const meta of await page.locator("#offres-liste li.offer-card p.offer-meta:first-of-type").allTextContents()) {
    expect(meta).toMatch(/^Stage d'interne/);
  }
  // Either choice: at least as many as each alone.
  const either = await counted(page, "logement=fourni,internes");
  expect(either).toBeGreaterThanOrEqual(await counted(page, "logement=fourni"));
  expect(either).toBeGreaterThanOrEqual(interns);

  // In a team: the example offers of a commune's practice alone are left out.
  await page.goto("/offres");
  await filters.getByRole("checkbox", { name: /^Exercice en équipe/ }).check();
  await filters.getByRole("button", { name: "Filtrer" }).click();
  await expect(page).toHaveURL(/equipe=oui/);
  const team = await announced(page);
  expect(team).toBe(await counted(page, "equipe=oui"));
  expect(team).toBeLessThan(all);
  expect(team).toBeGreaterThan(0);
});

test("une personne qui a dit ce qu'elle cherche voit d'abord les offres qui lui correspondent", async ({ page }) => {
  const email = `ordre-${test.info().project.name}-${Date.now()}@exemple.fr`;
  await signUp(page, "Inès Ordre", email);
  await page.goto("/compte/recherche");
  await page.getByLabel("Spécialité").selectOption("medecine_generale");
  await page.getByRole("checkbox", { name: "Stage d'interne" }).check();
  await page.getByLabel(/^Départements/).fill("48");
  await page.getByRole("button", { name: /Enregistrer/ }).click();
  await expect(page.getByRole("status")).toBeVisible();

  await page.goto("/offres");
  const order = page.getByLabel("Ordre");
  await expect(order.locator("option:checked")).toHaveText("Celles qui me correspondent le mieux");
  const scores = (await page.locator("#offres-liste .fit-score").allTextContents()).map((s) =>
    Number(s.match(/(\d+)\s%/)?.[1]),
  );
  expect(scores.length).toBe(20);
  expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  await expect(page.locator("#offres-liste li.offer-card").first()).toContainText(
    "stage d'interne : un type d'offre que vous cherchez",
  );

  // Newest first, when she asks: an address of its own.
  await order.selectOption({ label: "Les plus récentes d'abord" });
  await page.getByRole("button", { name: "Filtrer" }).click();
  await expect(page).toHaveURL(/tri=recentes/);
  await expect(order.locator("option:checked")).toHaveText("Les plus récentes d'abord");
  const newest = (await page.locator("#offres-liste .fit-score").allTextContents()).map((s) =>
    Number(s.match(/(\d+)\s%/)?.[1]),
  );
  expect(newest).not.toEqual(scores);

  // And nearest first around a commune.
  await page.getByLabel("Autour de la commune").fill("Mende");
  await page.getByRole("button", { name: "Filtrer" }).click();
  await expect(page).toHaveURL(/autour=Mende/);
  await order.selectOption({ label: "Les plus proches d'abord" });
  await page.getByRole("button", { name: "Filtrer" }).click();
  await expect(page).toHaveURL(/tri=distance/);
  expect(chosen(page, "autour")).toEqual(["Mende"]);
  const distances = (await page.locator("#offres-liste .distance").allTextContents()).map((s) =>
    Number(s.match(/à (\d+) km/)?.[1]),
  );
  expect(distances.length).toBeGreaterThan(0);
  expect([...distances].sort((a, b) => a - b)).toEqual(distances);
});
