// Interns first, with JavaScript off and on: a verified commune publishes housing for interns
// through its form (the area only, never the exact address: a street address is refused with
// its reason, and what was typed stays); the public page shows it without the contact, which
// a signed-in intern sees; the interns' page lists it, and the map draws it in its interns'
// layer.
import { expect, test } from "@playwright/test";
import { islandsReady, openMap, readiness, scriptErrors, signOut, signUp, verifiedCommune } from "./people";

test("une commune publie un logement pour internes, une interne le trouve et voit qui contacter", async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const project = testInfo.project.name;
  const stamp = `${project}.${Date.now()}`;
  const hydrated = project === "avec-js";
  const ready = readiness(page, project);
  const errors = scriptErrors(page, { console: false });
  const [commune, code] = hydrated ? ["Figeac", "46102"] : ["Decazeville", "12089"];
  const mayorEmail = `logement.${stamp}@exemple.fr`;
  const title = `Studio des internes (${stamp})`;
  const organisationPath = await verifiedCommune(
    page,
    { mayor: "Claire Mairie", email: mayorEmail, name: `Mairie de ${commune} (${stamp})`, code, moderatorEmail: `ars.logement.${stamp}@exemple.fr` },
    ready,
  );

  // The mayor publishes a studio from the organisation's page.
  await page.goto("/connexion");
  await page.getByLabel("Adresse e-mail").fill(mayorEmail);
  await page.getByLabel("Mot de passe").fill("une longue phrase");
  await page.getByRole("button", { name: "Se connecter" }).click();
  await page.goto(organisationPath);
  await ready();
  await page.getByRole("link", { name: "Logements pour internes" }).click();
  await ready();
  await page.getByLabel("Titre").fill(title);
  await page.getByLabel("Commune", { exact: true }).fill(commune);
  await page.getByLabel(/^Secteur/).fill("12 rue des Lilas");
  await page.getByLabel("Type de logement").selectOption("studio");
  await page.getByLabel(/^Loyer mensuel/).fill("0");
  await page.getByLabel("Meublé", { exact: true }).selectOption("oui");
  const year = new Date().getFullYear() + 1;
  await page.getByLabel("Disponible à partir du").fill(`${year}-05-01`);
  await page.getByLabel("Internes accueillis").fill("2");
  await page.getByLabel(/^Qui contacter/).fill("Accueil de la mairie, 05 65 34 00 00");
  await page.getByRole("button", { name: "Publier le logement" }).click();
  // A street address is refused, with its reason; what was typed stays.
  await expect(page.getByRole("alert")).toContainText("ne doit pas donner l'adresse exacte");
  await expect(page.getByLabel("Titre")).toHaveValue(title);
  await ready();
  await page.getByLabel(/^Secteur/).fill("Centre-ville, à 300 m de la maison de santé");
  await page.getByRole("button", { name: "Publier le logement" }).click();
  await expect(page).toHaveURL(/\/logements-internes\/\d+\?info=logement-publie$/);
  await expect(page.getByRole("status")).toContainText("Le logement est publié");
  const housingPath = new URL(page.url()).pathname;
  await signOut(page);

  // Anybody reads it, without the contact.
  await page.goto(housingPath);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  await expect(page.locator("[data-field=loyer]")).toHaveText("Gratuit");
  await expect(page.locator("main")).not.toContainText("05 65 34 00 00");
  await expect(page.getByRole("link", { name: "Connectez-vous" })).toBeVisible();

  // An intern signs up: the contact shows.
  await signUp(page, "Léa Interne", `interne.logement.${stamp}@exemple.fr`);
  await page.goto(housingPath);
  await expect(page.locator("[data-field=contact]")).toHaveText("Accueil de la mairie, 05 65 34 00 00");

  // The interns' page lists it.
  await page.goto("/internes");
  await ready();
  await expect(page.getByRole("link", { name: title })).toHaveAttribute("href", housingPath);

  // The map draws it in the interns' layer.
  if (hydrated) {
    await page.goto(`/communes/${code}-${commune.toLowerCase()}`);
    await islandsReady(page);
    await openMap(page);
    const titles = await page.evaluate(async () => {
      const m = (document.getElementById("carte-canvas") as any).maplibreMap;
      await new Promise((done) => {
        const check = () => (m.isSourceLoaded("internes") ? done(null) : setTimeout(check, 100));
        check();
      });
      const data = await m.getSource("internes").getData();
      return data.features.map((f: any) => f.properties.n);
    });
    expect(titles).toContain(title);
    await expect(page.getByLabel("Logement pour internes")).toBeChecked();
  }
  expect(errors).toEqual([]);
});
