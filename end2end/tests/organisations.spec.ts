// An organisation's start as its creator lives it, with JavaScript off and on: sign-up, the
// creation form (a postal code typed for an INSEE code is refused with a French explanation),
// then the organisation "en attente de vérification". Moderation needs a moderator, appointed
// with the `server moderateur` command: the integration tests cover it.
import { expect, test } from "@playwright/test";

test("créer une organisation et la voir en attente de vérification", async ({ page }, testInfo) => {
  const email = `mairie.${testInfo.project.name}.${Date.now()}@exemple.fr`;
  const hydrated = testInfo.project.name === "avec-js";
  const ready = async () => {
    if (hydrated) await expect(page.locator("body[data-hydrated=true]")).toBeAttached();
  };
  // Hydration must not complain about any of these pages.
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));

  await page.goto("/inscription");
  await ready();
  await page.getByLabel("Nom affiché").fill("Mairie de Rodez");
  await page.getByLabel("Adresse e-mail").fill(email);
  await page.getByLabel("Mot de passe").fill("une longue phrase");
  await page.getByRole("button", { name: "Créer mon compte" }).click();
  await expect(page).toHaveURL(/\/compte\?info=bienvenue$/);

  await page.getByRole("link", { name: "Mes organisations" }).click();
  await expect(page).toHaveURL(/\/organisations$/);
  await expect(page.getByText("Vous n'êtes membre d'aucune organisation.", { exact: false })).toBeVisible();
  await page.getByRole("link", { name: "Créer une organisation" }).click();
  await expect(page).toHaveURL(/\/organisations\/nouvelle$/);
  await ready();

  await page.getByLabel("Type d'organisation").selectOption("commune");
  await page.getByLabel("Nom de l'organisation").fill("Mairie de Rodez");
  await page.getByLabel("Code", { exact: true }).fill("12000");
  await page.getByRole("button", { name: "Créer l'organisation" }).click();
  await expect(page.getByRole("alert")).toContainText("Ce code est un code postal");
  // What was typed is still there.
  await expect(page.getByLabel("Type d'organisation")).toHaveValue("commune");
  await expect(page.getByLabel("Nom de l'organisation")).toHaveValue("Mairie de Rodez");
  await expect(page.getByLabel("Code", { exact: true })).toHaveValue("12000");

  await ready();
  await page.getByLabel("Code", { exact: true }).fill("12202");
  await page.getByRole("button", { name: "Créer l'organisation" }).click();
  await expect(page).toHaveURL(/\/organisations\/\d+\?info=organisation-creee$/);
  await expect(page.getByRole("status")).toContainText("Votre organisation est créée");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Mairie de Rodez");
  await expect(page.locator("[data-field=statut]")).toHaveText("en attente de vérification");
  await expect(page.getByRole("link", { name: "Rodez", exact: true })).toHaveAttribute("href", "/communes/12202-rodez");
  await expect(page.getByRole("heading", { name: "Inviter un membre" })).toBeVisible();

  await page.getByRole("link", { name: "Mes organisations" }).click();
  await expect(page).toHaveURL(/\/organisations$/);
  const listed = page.getByRole("listitem").filter({ hasText: "Mairie de Rodez" });
  await expect(listed).toContainText("en attente de vérification");
  await expect(listed).toContainText("propriétaire");
  await ready();
  expect(errors).toEqual([]);
});
