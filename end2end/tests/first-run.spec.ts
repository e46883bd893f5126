// What a newcomer meets on the portal the README's run command serves: the reference data and
// the demonstration data it adds on the first run (`server exemples --si-absents`, as .ci/serve
// and .ci/test run it) — offers of every kind, events and a territory page, each marked
// « exemple » and kept away from search engines.
import { expect, test } from "@playwright/test";

const KINDS = ["installation", "remplacement", "stage", "salariat", "exercice_mixte", "assistanat"];

test("le premier lancement montre des offres de chaque type, marquées « exemple »", async ({ page }) => {
  // (Other specs publish real offers too, on the same server: the newest may be theirs.)
  for (const kind of KINDS) {
    await page.goto(`/offres?type=${kind}`);
    await expect(page.locator(".offer-card .badge.example").first()).toHaveText("exemple");
  }
  // An example's own page says so, and asks search engines not to index it.
  await page.locator(".offer-card:has(.badge.example) h3 a").first().click();
  await expect(page.locator(".offer-badges .badge.example")).toBeVisible();
  await expect(page.locator('meta[name="robots"]')).toHaveAttribute("content", "noindex");
});

test("le premier lancement montre des événements et une page de territoire", async ({ page, request }) => {
  await page.goto("/evenements");
  await expect(page.locator(".event-item .badge.example").first()).toBeVisible();

  // The example territory page belongs to the mairie that also publishes the example
  // installation bonus: the open API names its commune.
  const aids = await (await request.get("/api/v1/aides?par_page=100")).json();
  const bonus = aids.elements.find((aid: { nom: string }) => aid.nom.startsWith("Prime communale d'installation"));
  expect(bonus, "the example local aid").toBeTruthy();
  // A wrong slug redirects to the commune's address.
  await page.goto(`/communes/${bonus.territoire.code}-x`);
  await expect(page.getByRole("heading", { name: "Vivre et exercer ici" })).toBeVisible();
  await expect(page.locator(".territory-promotion .badge.example")).toBeVisible();
  await expect(page.locator('meta[name="robots"]')).toHaveAttribute("content", "noindex");
});
