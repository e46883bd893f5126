// An offer's life as a commune and a doctor live it, with JavaScript off and on: a verified
// commune drafts a remplacement (a refused field keeps what was typed), previews and publishes
// it; a visitor finds it on the board with the filters; once filled it leaves the board and
// its page says so.
import { expect, test } from "@playwright/test";
import { fillRemplacement, readiness, scriptErrors, signIn, signOut, verifiedCommune } from "./people";

test.skip(!process.env.E2E_DATA_DIR, "needs the server under test's command line");

test("une commune publie un remplacement, on le trouve avec les filtres, puis il est pourvu", async ({ page }, testInfo) => {
  const project = testInfo.project.name;
  const stamp = Date.now();
  const email = `saint-affrique.${project}.${stamp}@exemple.fr`;
  const moderatorEmail = `ars-offres.${project}.${stamp}@exemple.fr`;
  const organisation = `Mairie de Saint-Affrique (${project} ${stamp})`;
  const title = `Remplacement d'été à Saint-Affrique ${project} ${stamp}`;
  const ready = readiness(page, project);
  const errors = scriptErrors(page);

  // A commune, verified by a moderator.
  const mayor = { mayor: "Mairie de Saint-Affrique", email, name: organisation, code: "12208", moderatorEmail };
  const organisationPath = await verifiedCommune(page, mayor, ready);

  // The commune drafts a remplacement: the kind first, then its form.
  await signIn(page, email);
  await page.goto(organisationPath);
  await ready();
  await page.getByRole("link", { name: "Publier une offre" }).click();
  await page.getByRole("link", { name: "Remplacement" }).click();
  await expect(page).toHaveURL(/\/offres\/nouvelle\?type=remplacement$/);
  await ready();
  const year = new Date().getFullYear() + 1;
  // Named as people name it, never by its code.
  await expect(page.getByLabel("Commune", { exact: true })).toHaveValue("Saint-Affrique");
  const description = "Cabinet de trois médecins en centre-ville.\n\nSecrétariat sur place, visites à domicile possibles.";
  await fillRemplacement(page, { title, description, year, month: "07", days: "4", percent: "120", onCall: "volontaire" });
  await page.getByRole("button", { name: "Enregistrer le brouillon" }).click();
  // 120 % is refused; everything typed is still there.
  await expect(page.getByRole("alert")).toContainText("un pourcentage de 1 à 100");
  await expect(page.getByLabel("Titre de l'offre")).toHaveValue(title);
  await expect(page.getByLabel("Logiciel médical")).toHaveValue("Weda");
  await expect(page.getByLabel("Description")).toHaveValue(/centre-ville\.\s+Secrétariat/);
  await ready();
  await page.getByLabel("Montant").fill("75");
  await page.getByRole("button", { name: "Enregistrer le brouillon" }).click();

  await expect(page).toHaveURL(/\/offres\/\d+-remplacement-d-ete-a-saint-affrique[^?]*\?info=offre-enregistree$/);
  const offerPath = new URL(page.url()).pathname;
  await expect(page.getByText("Aperçu : cette offre n'est pas publiée")).toBeVisible();
  await ready();
  await page.getByRole("button", { name: "Publier l'offre" }).click();
  await expect(page.getByRole("status")).toContainText("L'offre est publiée");
  await expect(page.locator("[data-field=remuneration]")).toHaveText("Rétrocession d'honoraires : 75 %");
  await signOut(page);

  // A visitor finds it with the filters (a plain GET form: the address says the filters).
  await page.goto("/offres");
  await ready();
  await page.getByRole("checkbox", { name: /^Remplacement \(\d+\)$/ }).check();
  await page.getByText("Départements : tous").click();
  await page.getByRole("checkbox", { name: /^Aveyron \(\d+\)$/ }).check();
  await page.getByLabel("Zonage").selectOption("ZIP");
  await page.getByRole("checkbox", { name: /^Logement fourni \(\d+\)$/ }).check();
  await page.getByRole("button", { name: "Filtrer" }).click();
  await expect(page).toHaveURL(/\/offres\?q=&type=remplacement&specialite=&dep=12&zonage=ZIP&.*logement=fourni/);
  await page.getByRole("link", { name: title }).click();
  await expect(page).toHaveURL(new RegExp(`${offerPath}$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  // Its description as written: two paragraphs.
  await expect(page.locator(".offer-description > p")).toHaveCount(2);
  await expect(page.locator(".offer-description > p").nth(1)).toHaveText("Secrétariat sur place, visites à domicile possibles.");
  await expect(page.locator("[data-field=lieu]")).toContainText("Saint-Affrique");

  // Filled: off the board, and its page says so.
  await signIn(page, email);
  await page.goto(offerPath);
  await ready();
  await page.getByRole("button", { name: "Marquer comme pourvue" }).click();
  await expect(page.getByRole("status")).toContainText("L'offre est marquée pourvue");
  await page.goto("/offres?type=remplacement&dep=12");
  await expect(page.getByRole("link", { name: title })).toHaveCount(0);
  await page.goto(offerPath);
  await expect(page.getByText("Cette offre est pourvue")).toBeVisible();
  await ready();
  expect(errors).toEqual([]);
});
