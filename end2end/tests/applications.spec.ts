// An application as a doctor and a commune live it, with JavaScript off and on: a verified
// commune publishes a remplacement; a doctor (address confirmed through the mailed link)
// finds it with the board's filters and applies with a small PDF; the commune reads it,
// answers and moves it to « entretien »; both sides get their mails; once filled, the offer
// leaves the board.
import { expect, test } from "@playwright/test";
import { mailedLink, mailedText } from "./mail";
import { fillRemplacement, readiness, scriptErrors, signIn, signOut, signUp, verifiedCommune } from "./people";

test.skip(!process.env.E2E_DATA_DIR, "needs the server under test's command line");

/** A small but real PDF: header, one empty page, cross-reference table, end marker. */
function pdf(): Buffer {
  const objects = [
    "1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n",
    "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n",
    "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n",
  ];
  let body = "%PDF-1.4\n";
  const offsets: number[] = [];
  for (const object of objects) {
    offsets.push(body.length);
    body += object;
  }
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, "0")} 00000 n \n`;
  body += `trailer<</Size ${objects.length + 1}/Root 1 0 R>>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, "latin1");
}

test("un médecin postule avec son CV, la commune répond et l'invite en entretien", async ({ page }, testInfo) => {
  // Three people, a dozen forms and a PDF upload against the debug build on two cores:
  // about 26 s without JavaScript, more with it, beside the 30 s of the other tests.
  test.setTimeout(60_000);
  const project = testInfo.project.name;
  const stamp = Date.now();
  const communeEmail = `millau.${project}.${stamp}@exemple.fr`;
  const doctorEmail = `dr.lea.${project}.${stamp}@exemple.fr`;
  const moderatorEmail = `ars-candidatures.${project}.${stamp}@exemple.fr`;
  const organisation = `Mairie de Millau (${project} ${stamp})`;
  const title = `Remplacement à Millau ${project} ${stamp}`;
  const ready = readiness(page, project);
  const errors = scriptErrors(page);

  // A commune, verified by a moderator, publishes a remplacement.
  const mayor = { mayor: "Mairie de Millau", email: communeEmail, name: organisation, code: "12145", moderatorEmail };
  const organisationPath = await verifiedCommune(page, mayor, ready);

  await signIn(page, communeEmail);
  await page.goto(organisationPath);
  await ready();
  await page.getByRole("link", { name: "Publier une offre" }).click();
  await page.getByRole("link", { name: "Remplacement" }).click();
  await ready();
  const year = new Date().getFullYear() + 1;
  const description = "Maison de santé de six médecins, secrétariat sur place, logement fourni.";
  await fillRemplacement(page, { title, description, year, month: "08", days: "5", percent: "75", onCall: "aucune" });
  await page.getByRole("button", { name: "Enregistrer le brouillon" }).click();
  await expect(page).toHaveURL(/\?info=offre-enregistree$/);
  const offerPath = new URL(page.url()).pathname;
  await ready();
  await page.getByRole("button", { name: "Publier l'offre" }).click();
  await expect(page.getByRole("status")).toContainText("L'offre est publiée");
  await signOut(page);

  // A doctor confirms their address, finds the offer with the filters and applies with a PDF.
  await signUp(page, "Dr Léa Martin", doctorEmail);
  await page.goto(await mailedLink(doctorEmail, "/compte/verification"));
  await page.goto("/offres");
  await ready();
  await page.getByRole("checkbox", { name: /^Remplacement \(\d+\)$/ }).check();
  await page.getByText("Départements : tous").click();
  await page.getByRole("checkbox", { name: /^Aveyron \(\d+\)$/ }).check();
  await page.getByRole("button", { name: "Filtrer" }).click();
  await page.getByRole("link", { name: title }).click();
  await expect(page).toHaveURL(new RegExp(`${offerPath}$`));
  await ready();
  await expect(page.getByRole("heading", { name: "Postuler" })).toBeVisible();
  // Without a message the browser does not even send the form; with a Word file renamed .pdf,
  // the server refuses it and says why.
  const letterText = "Bonjour,\n\nRemplaçante thésée, disponible tout le mois d'août.\nJoignable au 06 00 00 00 00.";
  await page.getByLabel("Votre message").fill(letterText);
  await page.getByLabel(/Votre CV/).setInputFiles({
    name: "cv.pdf",
    mimeType: "application/pdf",
    buffer: Buffer.from("PK\u0003\u0004word/document.xml", "latin1"),
  });
  await page.getByRole("button", { name: "Envoyer ma candidature" }).click();
  await expect(page.getByRole("alert")).toContainText("Le CV doit être un fichier PDF");
  await expect(page.getByLabel("Votre message")).toHaveValue(/disponible tout le mois d'août/);
  await ready();
  await page.getByLabel(/Votre CV/).setInputFiles({ name: "CV Léa Martin.pdf", mimeType: "application/pdf", buffer: pdf() });
  await page.getByRole("button", { name: "Envoyer ma candidature" }).click();
  await expect(page).toHaveURL(/\/candidatures\/\d+\?info=candidature-envoyee$/);
  const applicationPath = new URL(page.url()).pathname;
  await expect(page.getByRole("status")).toContainText("Votre candidature est envoyée");
  await expect(page.locator("[data-field=statut]")).toHaveText("envoyée");

  // Second thoughts: withdrawing asks for a ticked box (the browser holds the form without
  // it), then, the offer being still open, she applies again: the same application comes back
  // « envoyée », its CV kept.
  await ready();
  const withdraw = page.getByRole("button", { name: "Retirer ma candidature" });
  await withdraw.click();
  await expect(page.locator("[data-field=statut]")).toHaveText("envoyée");
  await page.getByLabel("Je confirme le retrait de ma candidature").check();
  await withdraw.click();
  await expect(page.getByRole("status")).toContainText("Votre candidature est retirée");
  await expect(page.locator("[data-field=statut]")).toHaveText("retirée");
  await page.getByRole("link", { name: "sa page" }).click();
  await ready();
  await expect(page.getByText("Vous avez retiré votre candidature à cette offre")).toBeVisible();
  await page.getByLabel("Votre message").fill(letterText);
  await page.getByRole("button", { name: "Postuler à nouveau" }).click();
  await expect(page).toHaveURL(new RegExp(`${applicationPath}\\?info=candidature-envoyee$`));
  await expect(page.locator("[data-field=statut]")).toHaveText("envoyée");
  await expect(page.locator("[data-field=cv]")).toContainText("CV Léa Martin.pdf");
  await signOut(page);

  // The commune hears of it, reads it (now « lue »), answers and invites to an interview.
  await mailedText(communeEmail, "Dr Léa Martin a postulé à votre offre");
  await signIn(page, communeEmail);
  await page.goto(organisationPath);
  await ready();
  await page.getByRole("link", { name: "Candidatures reçues" }).click();
  await page.getByRole("link", { name: title }).click();
  await expect(page).toHaveURL(new RegExp(`${applicationPath}$`));
  await ready();
  await expect(page.locator("[data-field=statut]")).toHaveText("lue");
  await expect(page.getByRole("link", { name: /Télécharger le CV/ })).toBeVisible();
  // The letter as written: two paragraphs, the second on two lines.
  const letter = page.locator("div.message > p");
  await expect(letter).toHaveCount(2);
  await expect(letter.nth(1)).toContainText("Joignable au 06 00 00 00 00.");
  expect(await letter.nth(1).evaluate((p) => (p as HTMLElement).innerText)).toContain("août.\nJoignable");
  await page.getByLabel("Votre message").fill("Merci ! Pouvez-vous venir nous rencontrer mardi à 14 h ?");
  await page.getByRole("button", { name: "Envoyer le message" }).click();
  await expect(page.getByRole("status")).toContainText("Votre message est envoyé");
  await ready();
  await page.getByLabel("Nouveau statut").selectOption("entretien");
  await page.getByRole("button", { name: "Changer le statut" }).click();
  await expect(page.getByRole("status")).toContainText("Le statut de la candidature est changé");
  await expect(page.locator("[data-field=statut]")).toHaveText("entretien");

  // The doctor gets both mails.
  await mailedText(doctorEmail, "Pouvez-vous venir nous rencontrer mardi");
  await mailedText(doctorEmail, "maintenant : entretien");

  // The offer page shows the commune's response time; once filled, the offer leaves the board.
  await page.goto(offerPath);
  await ready();
  await expect(page.locator("[data-field=delai-reponse]")).toContainText("Délai médian de première réponse");
  await page.getByRole("button", { name: "Marquer comme pourvue" }).click();
  await expect(page.getByRole("status")).toContainText("L'offre est marquée pourvue");
  await page.goto("/offres?type=remplacement&dep=12");
  await expect(page.getByRole("link", { name: title })).toHaveCount(0);
  await signOut(page);

  // The doctor finds the application in « Mes candidatures », from the account page.
  await signIn(page, doctorEmail);
  await page.getByRole("link", { name: "Mes candidatures" }).click();
  await page.getByRole("link", { name: title }).click();
  await expect(page.locator("[data-field=statut]")).toHaveText("entretien");
  await expect(page.getByText("Pouvez-vous venir nous rencontrer mardi")).toBeVisible();
  await ready();
  expect(errors).toEqual([]);
});
