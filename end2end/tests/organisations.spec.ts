// An organisation's start as its creator and a moderator live it, with JavaScript off and on:
// sign-up, the mailed verification link, sign-in, the creation form (a postal code typed for
// an INSEE code is refused with a French explanation), the organisation "en attente de
// vérification"; then a moderator, appointed with the `server moderateur` command run against
// the server under test, approves it, and its creator is told by mail and sees it verified.
import { expect, test } from "@playwright/test";
import { mailedLink, mailedText } from "./mail";
import { PASSWORD, readiness, scriptErrors, serverCommand, signIn, signOut, signUp } from "./people";

test.skip(!process.env.E2E_DATA_DIR, "needs E2E_DATA_DIR to read the mail of the server under test");

test("créer une organisation, la voir en attente, puis vérifiée par un modérateur", async ({ page }, testInfo) => {
  const project = testInfo.project.name;
  const email = `mairie.${project}.${Date.now()}@exemple.fr`;
  const moderatorEmail = `ars.${project}.${Date.now()}@exemple.fr`;
  const name = `Mairie de Rodez (${project})`;
  const ready = readiness(page, project);
  // Hydration must not complain about any of these pages.
  const errors = scriptErrors(page);

  await signUp(page, "Mairie de Rodez", email);
  await page.goto(await mailedLink(email, "/compte/verification"));
  await expect(page).toHaveURL(/\/compte\?info=adresse-confirmee$/);
  await signOut(page);
  await signIn(page, email);
  await ready();

  await page.getByRole("link", { name: "Mes organisations" }).click();
  await expect(page).toHaveURL(/\/organisations$/);
  await expect(page.getByText("Vous n'êtes membre d'aucune organisation.", { exact: false })).toBeVisible();
  await page.getByRole("link", { name: "Créer une organisation" }).click();
  await expect(page).toHaveURL(/\/organisations\/nouvelle$/);
  await ready();

  await page.getByLabel("Type d'organisation").selectOption("commune");
  await page.getByLabel("Nom de l'organisation").fill(name);
  await page.getByLabel("Code", { exact: true }).fill("12000");
  await page.getByRole("button", { name: "Créer l'organisation" }).click();
  await expect(page.getByRole("alert")).toContainText("Ce code est un code postal");
  // What was typed is still there.
  await expect(page.getByLabel("Type d'organisation")).toHaveValue("commune");
  await expect(page.getByLabel("Nom de l'organisation")).toHaveValue(name);
  await expect(page.getByLabel("Code", { exact: true })).toHaveValue("12000");

  await ready();
  await page.getByLabel("Code", { exact: true }).fill("12202");
  await page.getByRole("button", { name: "Créer l'organisation" }).click();
  await expect(page).toHaveURL(/\/organisations\/\d+\?info=organisation-creee$/);
  const organisationPath = new URL(page.url()).pathname;
  await expect(page.getByRole("status")).toContainText("Votre organisation est créée");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  await expect(page.locator("[data-field=statut]")).toHaveText("en attente de vérification");
  await expect(page.getByRole("link", { name: "Rodez", exact: true })).toHaveAttribute("href", "/communes/12202-rodez");
  await expect(page.getByRole("heading", { name: "Inviter un membre" })).toBeVisible();

  await page.getByRole("link", { name: "Mes organisations" }).click();
  await expect(page).toHaveURL(/\/organisations$/);
  const listed = page.getByRole("listitem").filter({ hasText: name });
  await expect(listed).toContainText("en attente de vérification");
  await expect(listed).toContainText("propriétaire");
  await ready();
  await signOut(page);

  // The moderation page is refused to anyone the operator has not appointed.
  await signUp(page, "Agence régionale de santé", moderatorEmail);
  await page.goto("/moderation");
  await expect(page.getByRole("alert")).toContainText("Cette page est réservée aux modérateurs");
  await expect(page.getByRole("heading", { name: "Organisations en attente de vérification" })).toHaveCount(0);
  // That page answered 403, as it should, and the browser logged it: not a hydration error.
  errors.length = 0;
  serverCommand("moderateur", moderatorEmail);

  await page.goto("/compte");
  await page.getByRole("link", { name: "Modération" }).click();
  await expect(page).toHaveURL(/\/moderation$/);
  await ready();
  const queued = page.getByRole("article").filter({ hasText: name });
  await expect(queued).toContainText("adresse confirmée");
  await queued.getByRole("button", { name: `Vérifier ${name}` }).click();
  await expect(page.getByRole("status")).toContainText("L'organisation est vérifiée");
  await expect(page.getByRole("article").filter({ hasText: name })).toHaveCount(0);
  const logged = page.getByRole("row").filter({ hasText: name });
  await expect(logged).toContainText(moderatorEmail);
  await expect(logged).toContainText("vérifiée");
  await signOut(page);

  const mail = await mailedText(email, `a vérifié l'organisation « ${name} »`);
  expect(mail).toContain(organisationPath);
  await signIn(page, email);
  await page.goto(organisationPath);
  await expect(page.locator("[data-field=statut]")).toHaveText("vérifiée");
  await ready();

  // Leaving: its only owner closes the organisation — the box must be ticked, the browser
  // says so even without JavaScript — and may then delete the account.
  const closing = page.locator("form").filter({ has: page.getByRole("button", { name: "Fermer définitivement l'organisation" }) });
  await closing.getByLabel("Message aux candidats", { exact: false }).fill("La mairie confie l'accueil des médecins à l'intercommunalité.");
  await closing.getByRole("button", { name: "Fermer définitivement l'organisation" }).click();
  await expect(page).toHaveURL(new RegExp(`${organisationPath}$`));
  await closing.getByLabel("Je confirme la fermeture", { exact: false }).check();
  await closing.getByRole("button", { name: "Fermer définitivement l'organisation" }).click();
  await expect(page).toHaveURL(/\?info=fermeture-effectuee$/);
  await expect(page.getByRole("status")).toContainText("L'organisation est fermée");
  await expect(page.locator("[data-field=fermee]")).toBeVisible();
  await expect(page.getByRole("link", { name: "Publier une offre" })).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Inviter un membre" })).toHaveCount(0);
  await ready();
  await page.goto("/compte");
  await page.getByLabel("Mot de passe, pour confirmer").fill(PASSWORD);
  expect(errors).toEqual([]);
  await page.getByRole("button", { name: "Supprimer définitivement mon compte" }).click();
  // Signed out, the account page answers 401 (the browser logs it) and says it is done.
  await expect(page.getByRole("status")).toContainText("Votre compte et les données qui s'y rattachent sont supprimés");
});
