// An account's life as a visitor lives it, with JavaScript off and on: sign-up, the mailed
// confirmation link, sign-out, a wrong password, sign-in.
import { expect, test } from "@playwright/test";
import { islandsReady } from "./people";
import { mailedLink } from "./mail";

test.skip(!process.env.E2E_DATA_DIR, "needs E2E_DATA_DIR to read the mail of the server under test");

test("inscription, confirmation par e-mail, déconnexion puis connexion", async ({ page }, testInfo) => {
  const email = `claire.${testInfo.project.name}.${Date.now()}@exemple.fr`;
  const hydrated = testInfo.project.name === "avec-js";

  await page.goto("/");
  await page.getByRole("link", { name: "Créer un compte" }).click();
  await expect(page).toHaveURL(/\/inscription$/);
  if (hydrated) await islandsReady(page);
  await page.getByLabel("Nom affiché").fill("Claire Martin");
  await page.getByLabel("Adresse e-mail").fill(email);
  await page.getByLabel("Mot de passe").fill("une longue phrase");
  await page.getByRole("button", { name: "Créer mon compte" }).click();

  await expect(page).toHaveURL(/\/compte\?info=bienvenue$/);
  await expect(page.getByRole("status")).toContainText("Votre compte est créé");
  await expect(page.locator("[data-field=nom]")).toHaveText("Claire Martin");
  await expect(page.getByText("à confirmer", { exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: "Mon compte" })).toBeVisible();

  await page.goto(await mailedLink(email, "/compte/verification"));
  await expect(page).toHaveURL(/\/compte\?info=adresse-confirmee$/);
  await expect(page.getByText("confirmée", { exact: true })).toBeVisible();

  await page.getByRole("button", { name: "Se déconnecter" }).click();
  await expect(page).toHaveURL(/\/connexion\?info=deconnecte$/);
  await expect(page.getByRole("link", { name: "Se connecter" })).toBeVisible();

  await page.getByLabel("Adresse e-mail").fill(email);
  await page.getByLabel("Mot de passe").fill("pas le bon mot de passe");
  await page.getByRole("button", { name: "Se connecter" }).click();
  await expect(page.getByRole("alert")).toHaveText("Adresse e-mail ou mot de passe incorrect.");
  await expect(page.getByLabel("Adresse e-mail")).toHaveValue(email);

  await page.getByLabel("Mot de passe").fill("une longue phrase");
  await page.getByRole("button", { name: "Se connecter" }).click();
  await expect(page).toHaveURL(/\/compte$/);
  await expect(page.locator("[data-field=email]")).toContainText(email);

  // A wrong current password in the change of address: three forms of the page ask for it,
  // and only this one's field is marked; the new address typed is back.
  const newEmail = `nouvelle.${email}`;
  await page.locator("#email-nouveau").fill(newEmail);
  await page.locator("#email-mdp").fill("pas le bon mot de passe");
  await page.getByRole("button", { name: "Recevoir un lien de confirmation" }).click();
  await expect(page.getByRole("alert")).toContainText("Le mot de passe actuel saisi n'est pas le bon.");
  await expect(page.locator("#email-mdp")).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator("#email-mdp-erreur")).toHaveText("Le mot de passe actuel saisi n'est pas le bon.");
  await expect(page.locator("[aria-invalid=true]")).toHaveCount(1);
  await expect(page.locator("#email-nouveau")).toHaveValue(newEmail);
  await page.getByRole("alert").getByRole("link", { name: "Aller au champ" }).click();
  await expect(page).toHaveURL(/#email-mdp$/);
  await page.locator("section[aria-labelledby=securite]").screenshot({ path: testInfo.outputPath("compte-refus.png") });
});

test("un mot de passe oublié se remplace par le lien reçu", async ({ page }, testInfo) => {
  const email = `paul.${testInfo.project.name}.${Date.now()}@exemple.fr`;
  await page.goto("/inscription");
  await page.getByLabel("Nom affiché").fill("Paul");
  await page.getByLabel("Adresse e-mail").fill(email);
  await page.getByLabel("Mot de passe").fill("ancienne phrase secrète");
  await page.getByRole("button", { name: "Créer mon compte" }).click();
  await page.getByRole("button", { name: "Se déconnecter" }).click();

  await page.getByRole("link", { name: "Mot de passe oublié ?" }).click();
  await page.getByLabel("Adresse e-mail du compte").fill(email);
  await page.getByRole("button", { name: "Recevoir un lien" }).click();
  await expect(page.getByRole("status")).toContainText("Si un compte existe pour cette adresse");

  await page.goto(await mailedLink(email, "/compte/nouveau-mot-de-passe"));
  await page.getByLabel("Nouveau mot de passe").fill("nouvelle phrase secrète");
  await page.getByRole("button", { name: "Enregistrer" }).click();
  await expect(page).toHaveURL(/\/connexion\?info=mot-de-passe-change$/);

  await page.getByLabel("Adresse e-mail").fill(email);
  await page.getByLabel("Mot de passe").fill("nouvelle phrase secrète");
  await page.getByRole("button", { name: "Se connecter" }).click();
  await expect(page).toHaveURL(/\/compte$/);
});

test("un interne remplit son profil, une erreur garde ce qu'il a saisi", async ({ page }, testInfo) => {
  const email = `ines.${testInfo.project.name}.${Date.now()}@exemple.fr`;
  await page.goto("/inscription");
  await page.getByLabel("Nom affiché").fill("Inès");
  await page.getByLabel("Adresse e-mail").fill(email);
  await page.getByLabel("Mot de passe").fill("une longue phrase");
  await page.getByRole("button", { name: "Créer mon compte" }).click();
  await page.getByRole("link", { name: "Remplir mon profil" }).click();
  await expect(page).toHaveURL(/\/compte\/profil$/);

  await page.getByLabel("Médecin installé").check();
  await page.getByLabel("DES ou spécialité").fill("Médecine générale");
  await page.getByLabel("Numéro RPPS").fill("10000000008");
  await page.getByRole("button", { name: "Enregistrer mon profil" }).click();
  await expect(page.getByRole("alert")).toContainText("Ce numéro RPPS n'est pas valide");
  await expect(page.getByLabel("Numéro RPPS")).toHaveValue("10000000008");
  await expect(page.getByLabel("Médecin installé")).toBeChecked();

  await page.getByLabel("Interne", { exact: true }).check();
  await page.getByLabel("Faculté de médecine").fill("Université de Toulouse");
  await page.getByLabel("Année d'internat").fill("2");
  await page.getByLabel("Numéro RPPS").fill("");
  await page.getByRole("button", { name: "Enregistrer mon profil" }).click();
  await expect(page).toHaveURL(/\/compte\?info=profil-enregistre$/);
  await expect(page.locator("[data-field=profil]")).toHaveText(
    "Interne en 2ᵉ année, Médecine générale, Université de Toulouse",
  );
});
