// An alert as a doctor makes one: its confirmation says how often it will write, the same
// search saved twice stays one alert, « Mes alertes » names it by its place in words and changes
// its frequency. With and without JavaScript (plain forms).
import { expect, test } from "@playwright/test";
import { signUp } from "./people";

test("une alerte : sa fréquence dite, jamais en double, modifiable", async ({ page }, testInfo) => {
  const email = `alerte.${testInfo.project.name}.${Date.now()}@exemple.fr`;
  await signUp(page, "Dr Inès Alerte", email);
  await page.goto("/offres?type=remplacement&dep=12");
  const box = page.getByRole("region", { name: "Recevoir ces offres par e-mail" });
  await expect(box).toContainText("Remplacement · Aveyron");
  await box.getByLabel("M'écrire").selectOption("hebdomadaire");
  await box.getByRole("button", { name: "Créer l'alerte" }).click();
  await expect(page.getByRole("status")).toContainText("au plus un e-mail par semaine");

  // Tapped again, now daily: the same alert, not a second one.
  await box.getByLabel("M'écrire").selectOption("quotidienne");
  await box.getByRole("button", { name: "Créer l'alerte" }).click();
  await expect(page.getByRole("status")).toContainText("Vous aviez déjà une alerte pour cette recherche");

  await page.goto("/compte/alertes");
  const alerts = page.locator("ul.offer-list > li");
  await expect(alerts).toHaveCount(1);
  await expect(alerts.first().getByRole("heading")).toHaveText("Remplacement · Aveyron");
  const frequency = alerts.first().getByLabel("Recevoir un e-mail");
  await expect(frequency).toHaveValue("quotidienne");
  await frequency.selectOption("immediate");
  await alerts.first().getByRole("button", { name: /^Changer la fréquence/ }).click();
  await expect(page.getByRole("status")).toContainText("La fréquence de l'alerte est changée");
  await expect(page.locator("ul.offer-list > li").first().getByLabel("Recevoir un e-mail")).toHaveValue("immediate");
  await expect(page.locator("ul.offer-list > li")).toHaveCount(1);
});
