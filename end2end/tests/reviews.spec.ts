// The interns' journey, with JavaScript off and on: a maison de santé, verified by a moderator,
// declares a stage site and publishes a stage offer there; an intern applies and is accepted;
// the site confirms her semester and she reviews it; two more interns, whose semesters the
// site declares for their accounts, review it too; the moderation publishes the three; then,
// and only then, the averages appear on the site's page (and on the map, with JavaScript).
import { type Page, expect, test } from "@playwright/test";
import { mailedLink } from "./mail";
import { islandsReady, openMap, readiness, scriptErrors, serverCommand, signIn, signOut, signUp } from "./people";

test.skip(!process.env.E2E_DATA_DIR, "needs the server under test's command line");

/** Scores the site and types `text` into the review form of the page. */
async function fillReview(page: Page, text: string) {
  for (const [criterion, score] of [
    ["encadrement", "5"],
    ["autonomie", "4"],
    ["diversite", "4"],
    ["ambiance", "5"],
    ["logement", "sans_objet"],
    ["charge", "3"],
  ]) {
    await page.locator(`#note-${criterion}`).selectOption(score);
  }
  await page.getByLabel(/^Votre avis/).fill(text);
}

async function review(page: Page, sitePath: string, text: string, ready: () => Promise<void>, shot?: string) {
  await page.goto(`${sitePath}#avis`);
  await ready();
  await fillReview(page, text);
  if (shot) await page.locator("form:has(#avis-texte)").screenshot({ path: shot });
  await page.getByRole("button", { name: "Envoyer mon avis" }).click();
  await expect(page.getByRole("status")).toContainText("votre avis est envoyé à la modération");
}

test("un terrain de stage accueille une interne, confirme son semestre, et ses avis paraissent à partir de trois", async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  const project = testInfo.project.name;
  const stamp = `${project}.${Date.now()}`;
  const hydrated = project === "avec-js";
  const ready = readiness(page, project);
  const errors = scriptErrors(page, { console: false });
  const anneEmail = `msp.${stamp}@exemple.fr`;
  const moderatorEmail = `ars.avis.${stamp}@exemple.fr`;
  const interns = [`lea.${stamp}@exemple.fr`, `hugo.${stamp}@exemple.fr`, `ines.${stamp}@exemple.fr`];
  const msp = `MSP du Bassin (${stamp})`;
  const siteName = `Terrain du Bassin (${stamp})`;
  const title = `SASPAS au Bassin (${stamp})`;

  // The maison de santé, verified.
  await signUp(page, "Dr Anne Roux", anneEmail);
  await page.goto("/organisations/nouvelle");
  await ready();
  await page.getByLabel("Type d'organisation").selectOption("msp");
  await page.getByLabel("Nom de l'organisation").fill(msp);
  await page.getByRole("button", { name: "Créer l'organisation" }).click();
  await expect(page).toHaveURL(/\/organisations\/\d+\?info=organisation-creee$/);
  const organisationPath = new URL(page.url()).pathname;
  await signOut(page);
  await signUp(page, "ARS Occitanie", moderatorEmail);
  serverCommand("moderateur", moderatorEmail);
  await page.goto("/moderation");
  await page.getByRole("button", { name: `Vérifier ${msp}` }).click();
  await expect(page.getByRole("status")).toContainText("L'organisation est vérifiée");
  await signOut(page);
  for (const [i, email] of interns.entries()) {
    await signUp(page, ["Léa", "Hugo", "Inès"][i] + " Interne", email);
    // Léa applies: an application needs a confirmed address.
    if (i === 0) await page.goto(await mailedLink(email, "/compte/verification"));
    await signOut(page);
  }

  // It declares its stage site.
  await signIn(page, anneEmail);
  await page.goto(organisationPath);
  await ready();
  await page.getByRole("link", { name: "Terrains de stage" }).click();
  await ready();
  await page.getByLabel(/^Nom du terrain/).fill(siteName);
  await page.getByLabel("Commune", { exact: true }).fill("Decazeville");
  await page.getByLabel("Spécialité").selectOption("medecine_generale");
  await page.getByLabel("Faculté qui agrée le terrain").selectOption("toulouse");
  await page.getByLabel(/^SASPAS/).check();
  await page.getByLabel("Internes accueillis par semestre").fill("2");
  await page.getByLabel(/^Maîtres de stage universitaires/).fill("Dr Anne Roux");
  await page.getByLabel(/^Présentation/).fill("Une équipe de douze professionnels, une patientèle rurale variée.");
  await page.getByRole("button", { name: "Déclarer le terrain de stage" }).click();
  await expect(page).toHaveURL(/\/terrains-de-stage\/\d+\?info=stage-declare$/);
  const sitePath = new URL(page.url()).pathname;

  // And a stage offer there.
  await page.goto(organisationPath);
  await ready();
  await page.getByRole("link", { name: "Publier une offre" }).click();
  await page.getByRole("link", { name: "Stage d'interne" }).click();
  await ready();
  await page.getByLabel("Modalité").selectOption("saspas");
  await page.getByLabel("Titre de l'offre").fill(title);
  await page.getByLabel("Description").fill("Un semestre en maison de santé rurale, consultations seul et visites.");
  await page.getByLabel("Commune", { exact: true }).fill("Decazeville");
  await page.getByLabel("Terrain de stage").selectOption({ label: siteName });
  await page.getByLabel("Semestre", { exact: true }).selectOption("mai");
  await page.getByLabel("Année du semestre").fill(String(new Date().getFullYear() + 1));
  await page.getByLabel(/^Maître\(s\) de stage/).fill("Dr Anne Roux");
  // Nothing is chosen for the pay: it depends on the pathway (a stage: a salary).
  await page.getByLabel("Rémunération", { exact: true }).selectOption("salaire");
  await page.getByLabel(/^Montant/).fill("2000");
  await page.getByLabel(/^Gardes/).selectOption("aucune");
  await page.getByLabel("Secrétariat").selectOption("sur_place");
  await page.getByLabel("Logiciel médical").fill("Weda");
  await page.getByLabel("Logement", { exact: true }).selectOption("aide");
  await page.getByRole("button", { name: "Enregistrer le brouillon" }).click();
  await expect(page).toHaveURL(/\?info=offre-enregistree$/);
  const offerPath = new URL(page.url()).pathname;
  await ready();
  await page.getByRole("button", { name: "Publier l'offre" }).click();
  await expect(page.getByRole("status")).toContainText("L'offre est publiée");
  await signOut(page);

  // Léa applies; she may not review yet.
  await signIn(page, interns[0]);
  await page.goto(offerPath);
  await ready();
  await page.getByLabel("Votre message").fill("Bonjour, je cherche un SASPAS pour le semestre de mai.");
  await page.getByRole("button", { name: "Envoyer ma candidature" }).click();
  await expect(page.getByRole("status")).toContainText("Votre candidature est envoyée");
  await page.goto(sitePath);
  await expect(page.getByText("Seuls les internes dont le terrain a confirmé le semestre")).toBeVisible();
  await signOut(page);

  // Accepted; the site confirms her semester and declares the two others'.
  await signIn(page, anneEmail);
  await page.goto(organisationPath);
  await ready();
  await page.getByRole("link", { name: "Candidatures reçues" }).click();
  await page.getByRole("link", { name: title }).click();
  await ready();
  await page.getByLabel("Nouveau statut").selectOption("acceptee");
  await page.getByRole("button", { name: "Changer le statut" }).click();
  await expect(page.getByRole("status")).toContainText("Le statut de la candidature est changé");
  await page.goto(sitePath);
  await ready();
  await page.getByRole("button", { name: "Confirmer le semestre" }).click();
  await expect(page.getByRole("status")).toContainText("Le semestre est confirmé");
  // An address without an account is refused, and the message stands under the field it concerns.
  await ready();
  await page.getByLabel("Adresse e-mail de son compte").fill(`personne-${stamp}@exemple.fr`);
  await page.getByLabel("Semestre", { exact: true }).selectOption("novembre");
  await page.getByLabel("Année").fill(String(new Date().getFullYear() - 1));
  await page.getByRole("button", { name: "Déclarer le semestre" }).click();
  await expect(page.locator("#semestre-email")).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator("#semestre-email-erreur")).toContainText("Aucun compte du portail n'a cette adresse e-mail");
  await expect(page.getByRole("alert").getByRole("link", { name: "Aller au champ" })).toHaveAttribute("href", "#semestre-email");
  // What was typed is there to correct, not to type again; the address does not carry it.
  await expect(page.locator("#semestre-email")).toHaveValue(`personne-${stamp}@exemple.fr`);
  await expect(page.getByLabel("Semestre", { exact: true })).toHaveValue("novembre");
  expect(page.url()).not.toContain("personne");
  const viewport = page.viewportSize();
  for (const width of [390, 1366]) {
    await page.setViewportSize({ width, height: 844 });
    await page.locator("#semestre-email").scrollIntoViewIfNeeded();
    await page.screenshot({ path: testInfo.outputPath(`semestre-refuse-${width}.png`) });
  }
  if (viewport) await page.setViewportSize(viewport);
  for (const email of interns.slice(1)) {
    await ready();
    await page.getByLabel("Adresse e-mail de son compte").fill(email);
    await page.getByLabel("Semestre", { exact: true }).selectOption("novembre");
    await page.getByLabel("Année").fill(String(new Date().getFullYear() - 1));
    await page.getByRole("button", { name: "Déclarer le semestre" }).click();
    await expect(page.getByRole("status")).toContainText("Le semestre est confirmé");
  }
  await signOut(page);

  // Each reviews it.
  for (const [i, email] of interns.entries()) {
    await signIn(page, email);
    const text = `Avis ${i + 1} : deux maîtres de stage présents, des visites variées (${stamp}).`;
    if (i === 0) {
      // Spaces count for the browser's length check, not for the server's: the text is refused,
      // and the scores and text come back to be corrected, not typed again.
      await page.goto(`${sitePath}#avis`);
      await ready();
      await fillReview(page, `${" ".repeat(30)}Trop court.`);
      await page.getByRole("button", { name: "Envoyer mon avis" }).click();
      await expect(page.locator("#avis-texte-erreur")).toContainText("Votre avis doit compter entre 30 et");
      await expect(page.locator("#note-encadrement")).toHaveValue("5");
      await expect(page.locator("#note-logement")).toHaveValue("sans_objet");
      await expect(page.getByLabel(/^Votre avis/)).toHaveValue(/Trop court\.$/);
      const viewport = page.viewportSize();
      for (const width of [390, 1366]) {
        await page.setViewportSize({ width, height: 844 });
        await page.locator("form:has(#avis-texte)").screenshot({ path: testInfo.outputPath(`avis-refuse-${width}.png`) });
      }
      if (viewport) await page.setViewportSize(viewport);
    }
    await review(page, sitePath, text, ready, i === 0 ? testInfo.outputPath("avis-formulaire.png") : undefined);
    await signOut(page);
  }
  // Nothing shows before the moderation has published three.
  await page.goto(sitePath);
  await expect(page.locator("[data-figure=avis]")).toContainText("(0 pour l'instant)");

  await signIn(page, moderatorEmail);
  for (let i = 0; i < 3; i++) {
    await page.goto("/moderation/avis");
    await ready();
    const item = page.locator("li.event-item", { hasText: stamp }).first();
    await item.getByLabel("Publier").check();
    await item.getByRole("button", { name: "Valider la décision" }).click();
    await expect(page.getByRole("status")).toContainText("L'avis est publié");
  }
  await signOut(page);

  // The averages, without names.
  await page.goto(sitePath);
  await ready();
  await expect(page.locator("[data-figure=avis]")).toContainText("3 avis publiés");
  await expect(page.locator("[data-average=encadrement]")).toHaveText("5,0 / 5 (3 avis)");
  await expect(page.locator("main")).not.toContainText("Léa Interne");
  if (hydrated) {
    await page.goto("/communes/12089-decazeville");
    await islandsReady(page);
    await openMap(page);
    const ratings = await page.evaluate(async (name) => {
      const m = (document.getElementById("carte-canvas") as any).maplibreMap;
      await new Promise((done) => {
        const check = () => (m.isSourceLoaded("internes") ? done(null) : setTimeout(check, 100));
        check();
      });
      const data = await m.getSource("internes").getData();
      return data.features.filter((f: any) => f.properties.n === name).map((f: any) => f.properties.a);
    }, siteName);
    expect(ratings).toEqual(["Avis des internes\u00a0: 4,2 / 5 (3 avis)"]);
  }
  expect(errors).toEqual([]);
});
