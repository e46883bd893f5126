// A commune presents itself and an intern finds it, with JavaScript off and on: the mayor's
// commune is verified by a moderator, the mayor writes the territory page (presentation,
// referent), adds a photo (checked and resized by the server), previews and publishes it, and
// publishes a local aid for interns; an intern runs the simulator for that commune and sees
// the aid; then, from the commune's page, contacts the referent, and the case appears on the
// referent's side, with the mail the referent received. The published page puts the commune on
// the list of the guichets uniques.
import { deflateSync } from "node:zlib";
import { expect, test } from "@playwright/test";
import { mailedLink, mailedText } from "./mail";
import { readiness, scriptErrors, serverCommand, signIn, signOut, signUp } from "./people";

test.skip(!process.env.E2E_DATA_DIR, "needs E2E_DATA_DIR to read the mail of the server under test");

/** A real PNG (a gradient), `width` × `height`, made here so no binary lives in the repository. */
function png(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([length, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    for (let x = 0; x < width; x++) rows.set([(x * 255) / width, (y * 255) / height, 140], row + 1 + x * 3);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(rows)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

test("une commune présente son territoire, une interne la trouve et contacte le référent", async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const project = testInfo.project.name;
  const stamp = `${project}.${Date.now()}`;
  const hydrated = project === "avec-js";
  const ready = readiness(page, project);
  // A ZIP commune for each run, so each sees its own page: Decazeville, Aigues-Vives (Ariège).
  const [commune, code] = hydrated ? ["Aigues-Vives", "09002"] : ["Decazeville", "12089"];
  const mayorEmail = `mairie.${stamp}@exemple.fr`;
  const moderatorEmail = `ars.${stamp}@exemple.fr`;
  const internEmail = `interne.${stamp}@exemple.fr`;
  const organisation = `Mairie de ${commune} (${project})`;
  const aidName = `Bourse communale des internes (${project})`;
  const errors = scriptErrors(page, { console: false });

  // The mayor's commune, verified by a moderator.
  await signUp(page, "Claire Mairie", mayorEmail);
  await page.goto(await mailedLink(mayorEmail, "/compte/verification"));
  await page.goto("/organisations/nouvelle");
  await ready();
  await page.getByLabel("Type d'organisation").selectOption("commune");
  await page.getByLabel("Nom de l'organisation").fill(organisation);
  await page.getByLabel("Code", { exact: true }).fill(code);
  await page.getByRole("button", { name: "Créer l'organisation" }).click();
  await expect(page).toHaveURL(/\/organisations\/\d+\?info=organisation-creee$/);
  const organisationPath = new URL(page.url()).pathname;
  await signOut(page);
  await signUp(page, "Agence régionale de santé", moderatorEmail);
  serverCommand("moderateur", moderatorEmail);
  await page.goto("/moderation");
  await ready();
  await page.getByRole("button", { name: `Vérifier ${organisation}` }).click();
  await expect(page.getByRole("status")).toContainText("L'organisation est vérifiée");
  await signOut(page);

  // The territory page: texts and referent, a photo, the preview, publication.
  await signIn(page, mayorEmail);
  await page.goto(organisationPath);
  await ready();
  await page.getByRole("link", { name: "Page du territoire" }).click();
  await ready();
  await page.getByLabel("Présentation du territoire").fill(`Bienvenue à **${commune}** : une maison de santé vous attend.`);
  await page.getByLabel("Écoles et crèches").fill("Une école maternelle et une crèche à deux pas du cabinet.");
  await page.getByLabel("Référent du guichet unique").selectOption({ label: "Claire Mairie" });
  await page.getByLabel("Son rôle, tel qu'affiché").fill("Maire adjointe à la santé");
  await page.getByRole("button", { name: "Enregistrer et prévisualiser" }).click();
  await expect(page).toHaveURL(/\/territoire\/apercu\?info=page-enregistree$/);
  await expect(page.locator(".preview strong").first()).toHaveText(commune);
  await ready();
  await page.getByRole("link", { name: "Revenir à l'édition" }).click();
  await ready();
  await page.getByLabel("Photo", { exact: true }).setInputFiles({ name: "place.png", mimeType: "image/png", buffer: png(900, 600) });
  await page.getByLabel("Description de la photo").fill(`La place du marché de ${commune}`);
  await page.getByRole("button", { name: "Ajouter la photo" }).click();
  await expect(page.getByRole("status")).toContainText("La photo est ajoutée");
  await expect(page.getByRole("img", { name: `La place du marché de ${commune}` })).toBeVisible();
  await ready();
  await page.getByRole("link", { name: "Voir l'aperçu et publier" }).click();
  await ready();
  await page.getByRole("button", { name: "Publier cette version" }).click();
  await expect(page.getByRole("status")).toContainText("La page est publiée");
  // The commune is now on the list of the guichets uniques, with its level and its referent.
  await page.goto("/guichet-unique");
  await ready();
  const listed = page.getByRole("listitem").filter({ has: page.getByRole("link", { name: commune, exact: true }) });
  await expect(listed.first()).toContainText("(commune)");
  await expect(listed.first()).toContainText("Claire Mairie, Maire adjointe à la santé");

  // A local aid for interns.
  await page.goto(organisationPath);
  await ready();
  await page.getByRole("link", { name: "Aides locales" }).click();
  await ready();
  await page.getByLabel("Nom de l'aide").fill(aidName);
  await page.getByLabel("Catégorie").selectOption("logement");
  await page.getByLabel("Montant en euros").fill("250");
  await page.getByLabel("Le montant est versé").selectOption("month");
  await page.getByLabel("Le montant en quelques mots").fill("250 € par mois pendant le stage");
  await page.getByLabel("Ce que l'aide apporte").fill("La commune aide les internes en stage ici à se loger pendant leur semestre.");
  await page.getByLabel("Conditions", { exact: true }).fill("Être interne en stage dans la commune.");
  await page.getByLabel("Interne", { exact: true }).check();
  await page.getByLabel("faire son stage").check();
  await page.getByLabel("Adresse de la délibération").fill("https://www.exemple-commune.fr/deliberation-internes");
  await page.getByRole("button", { name: "Publier l'aide" }).click();
  await expect(page.getByRole("status")).toContainText("L'aide est publiée");
  await signOut(page);

  // An intern runs the simulator for the commune and sees the aid.
  await signUp(page, "Inès Interne", internEmail);
  await page.goto(await mailedLink(internEmail, "/compte/verification"));
  await page.goto("/aides");
  await ready();
  await page.getByLabel("Vous êtes").selectOption("interne");
  await page.getByLabel("Commune envisagée").fill(code);
  await page.getByRole("button", { name: "Voir les aides" }).click();
  const simulation = page.locator(".simulation");
  await expect(simulation).toContainText(commune);
  await expect(simulation.getByRole("heading", { name: aidName })).toBeVisible();
  await expect(simulation).toContainText("250 € par mois");

  // From the commune's page, the intern writes to the referent.
  await simulation.getByRole("link", { name: commune }).first().click();
  await ready();
  await expect(page.getByRole("heading", { name: "Vivre et exercer ici" })).toBeVisible();
  await expect(page.getByRole("img", { name: `La place du marché de ${commune}` })).toBeVisible();
  await expect(page.locator("#aides-applicables")).toContainText(aidName);
  await page.getByLabel("Objet de votre demande").fill(`Stage et logement (${project})`);
  await page.getByLabel("Votre message").fill("Bonjour, je commence un stage en mai : où me loger près de la maison de santé ?");
  await page.getByRole("button", { name: "Contacter le référent" }).click();
  await expect(page).toHaveURL(/\/dossiers\/\d+\?info=dossier-ouvert$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Stage et logement (${project})`);
  await signOut(page);

  // The referent received the mail and sees the case.
  const mail = await mailedText(mayorEmail, "a contacté le guichet unique");
  expect(mail).toContain("Inès Interne");
  await signIn(page, mayorEmail);
  await page.goto("/dossiers");
  await ready();
  const received = page.getByRole("row").filter({ hasText: `Stage et logement (${project})` });
  await expect(received).toContainText("Inès Interne");
  await expect(received).toContainText("Nouveau");
  expect(errors).toEqual([]);
});
