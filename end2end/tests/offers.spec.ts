// An offer's life as a commune and a doctor live it, with JavaScript off and on: a verified
// commune drafts a remplacement (a refused field keeps what was typed), previews and publishes
// it; a visitor finds it on the board with the filters; once filled it leaves the board and
// its page says so.
import { expect, test } from "@playwright/test";
import { serverCommand, signIn, signOut, signUp, islandsReady } from "./people";

test.skip(!process.env.E2E_DATA_DIR, "needs the server under test's command line");

test("une commune publie un remplacement, on le trouve avec les filtres, puis il est pourvu", async ({ page }, testInfo) => {
  const project = testInfo.project.name;
  const stamp = Date.now();
  const email = `saint-affrique.${project}.${stamp}@exemple.fr`;
  const moderatorEmail = `ars-offres.${project}.${stamp}@exemple.fr`;
  const organisation = `Mairie de Saint-Affrique (${project} ${stamp})`;
  const title = `Remplacement d'été à Saint-Affrique ${project} ${stamp}`;
  const hydrated = project === "avec-js";
  const ready = async () => {
    if (hydrated) await islandsReady(page);
  };
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));

  // A commune, verified by a moderator.
  await signUp(page, "Mairie de Saint-Affrique", email);
  await page.goto("/organisations/nouvelle");
  await ready();
  await page.getByLabel("Type d'organisation").selectOption("commune");
  await page.getByLabel("Nom de l'organisation").fill(organisation);
  await page.getByLabel("Code", { exact: true }).fill("12208");
  await page.getByRole("button", { name: "Créer l'organisation" }).click();
  await expect(page).toHaveURL(/\/organisations\/\d+\?info=organisation-creee$/);
  const organisationPath = new URL(page.url()).pathname;
  await signOut(page);
  await signUp(page, "ARS Occitanie", moderatorEmail);
  serverCommand("moderateur", moderatorEmail);
  await page.goto("/moderation");
  await page.getByRole("button", { name: `Vérifier ${organisation}` }).click();
  await expect(page.getByRole("status")).toContainText("L'organisation est vérifiée");
  await signOut(page);

  // The commune drafts a remplacement: the kind first, then its form.
  await signIn(page, email);
  await page.goto(organisationPath);
  await ready();
  await page.getByRole("link", { name: "Publier une offre" }).click();
  await page.getByRole("link", { name: "Remplacement" }).click();
  await expect(page).toHaveURL(/\/offres\/nouvelle\?type=remplacement$/);
  await ready();
  const year = new Date().getFullYear() + 1;
  await page.getByLabel("Modalité").selectOption("ponctuel");
  await page.getByLabel("Titre de l'offre").fill(title);
  await page
    .getByLabel("Description")
    .fill("Cabinet de trois médecins en centre-ville, secrétariat sur place, visites à domicile possibles.");
  await expect(page.getByLabel("Commune (code INSEE)")).toHaveValue("12208");
  await page.getByLabel("Premier jour du remplacement").fill(`${year}-07-01`);
  await page.getByLabel("Dernier jour").fill(`${year}-07-31`);
  await page.getByLabel("Jours par semaine").fill("4");
  await page.getByLabel("Rémunération", { exact: true }).selectOption("retrocession");
  await page.getByLabel("Montant").fill("120");
  await page.getByLabel("Gardes").selectOption("volontaire");
  await page.getByLabel("Secrétariat").selectOption("sur_place");
  await page.getByLabel("Logiciel médical").fill("Weda");
  await page.getByLabel("Logement", { exact: true }).selectOption("oui");
  await page.getByRole("button", { name: "Enregistrer le brouillon" }).click();
  // 120 % is refused; everything typed is still there.
  await expect(page.getByRole("alert")).toContainText("un pourcentage de 1 à 100");
  await expect(page.getByLabel("Titre de l'offre")).toHaveValue(title);
  await expect(page.getByLabel("Logiciel médical")).toHaveValue("Weda");
  await ready();
  await page.getByLabel("Montant").fill("75");
  await page.getByRole("button", { name: "Enregistrer le brouillon" }).click();

  await expect(page).toHaveURL(/\/offres\/\d+-remplacement-d-ete-a-saint-affrique[^?]*\?info=offre-enregistree$/);
  const offerPath = new URL(page.url()).pathname;
  await expect(page.getByText("Aperçu : cette offre n'est pas publiée")).toBeVisible();
  await ready();
  await page.getByRole("button", { name: "Publier l'offre" }).click();
  await expect(page.getByRole("status")).toContainText("L'offre est publiée");
  await expect(page.locator("[data-field=remuneration]")).toHaveText("Rétrocession d'honoraires — 75 %");
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
