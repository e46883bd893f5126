// Accessibility of every kind of page of the portal, checked by axe-core against WCAG 2.0 and
// 2.1, levels A and AA: no violation allowed, and none excluded. Each page is also read at
// 320 px, the narrowest phone: nothing may stick out sideways (no horizontal scrolling); and its
// forms at 390 and 1 366 px: each label above its own field, no field past its form. Run twice like every spec:
// "sans-js" checks the server's HTML as it comes, "avec-js" the hydrated page, maps drawn.
//
// axe needs JavaScript in the page, even for the "sans-js" project: with JavaScript off,
// Playwright's evaluate still defines axe (it goes through the DevTools protocol, and an added
// <script> tag would stay inert), but axe.run then never ends, since Chromium fires no timer
// of a page whose scripts are disabled. So this file turns JavaScript on in both projects,
// and for "sans-js" refuses every script and wasm file the page asks for (the hydration
// bundle, MapLibre) and adds the stylesheet that <noscript> holds: nothing changes the server's
// HTML, and the styles for pages without JavaScript apply, as for a visitor without it.
import { readFileSync } from "node:fs";
import { type Page, expect, test } from "@playwright/test";
import { mailedLink } from "./mail";
import { fillRemplacement, islandsReady, openMap, serverCommand, signIn, signOut, signUp } from "./people";

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

// The portal's policy only lets scripts with its nonce run: axe, injected by the test, needs
// the policy bypassed.
test.use({ bypassCSP: true, javaScriptEnabled: true });

test.beforeEach(async ({ page }, testInfo) => {
  if (testInfo.project.name === "sans-js") {
    await page.route(/\.(m?js|wasm)(\?.*)?$/, (route) => route.abort());
  }
});

type Violation = {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: unknown[]; html: string; failureSummary?: string }[];
};

/** Waits for the page to be what a visitor gets: hydrated and its map drawn when JavaScript is on. */
async function ready(page: Page, hydrated: boolean) {
  if (!hydrated) {
    // What <noscript> holds for a browser without JavaScript: this one has it, scripts refused.
    await page.addStyleTag({ url: "/sans-javascript.css" });
    return;
  }
  await islandsReady(page);
  if ((await page.locator("#carte-canvas").count()) > 0) {
    // MapLibre comes when the map nears the viewport.
    await openMap(page);
    await page.waitForFunction(() => {
      const map = (document.getElementById("carte-canvas") as any).maplibreMap;
      return map.loaded() && map.areTilesLoaded();
    });
  }
}

/** Runs axe on the page as it is now and returns its violations of WCAG 2.x A and AA. */
async function audit(page: Page): Promise<Violation[]> {
  await page.addScriptTag({ content: AXE_SOURCE });
  return (await page.evaluate(async (tags) => {
    const axe = (window as any).axe;
    const results = await axe.run(document, {
      runOnly: { type: "tag", values: tags },
      resultTypes: ["violations"],
    });
    return results.violations;
  }, TAGS)) as Violation[];
}

/** The violations as a reader wants them in a failed test: rule, why, where. */
function report(where: string, violations: Violation[]): string {
  const lines = [`${where}: ${violations.length} violation(s) of WCAG 2.x A/AA`];
  for (const v of violations) {
    lines.push(`- ${v.id} (${v.impact}): ${v.help} <${v.helpUrl}>`);
    for (const node of v.nodes) {
      lines.push(`    at ${node.target.map(String).join(" ")}: ${node.html.slice(0, 300)}`);
      if (node.failureSummary) lines.push(`      ${node.failureSummary.replace(/\n/g, "\n      ")}`);
    }
  }
  return lines.join("\n");
}

/** What sticks out of the page at 320 px (nothing, if the page scrolls only downwards): the
 * document's width, then the elements that reach past the right edge, widest first. */
async function overflowAtPhoneWidth(page: Page): Promise<string[]> {
  const before = page.viewportSize();
  await page.setViewportSize({ width: 320, height: 800 });
  const wide = await page.evaluate(() => {
    const root = document.documentElement;
    if (root.scrollWidth <= root.clientWidth) return [];
    const edge = root.clientWidth;
    const name = (e: Element) => {
      const classes = typeof e.className === "string" && e.className ? `.${e.className.trim().split(/\s+/).join(".")}` : "";
      return `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ""}${classes}`;
    };
    const sticking = [...document.querySelectorAll("body *")]
      .map((e) => ({ e, right: e.getBoundingClientRect().right }))
      .filter(({ right }) => right > edge + 1)
      .sort((a, b) => b.right - a.right)
      .slice(0, 8)
      .map(({ e, right }) => `${name(e)} reaches ${Math.round(right)} px`);
    return [`the page is ${root.scrollWidth} px wide for ${edge} px`, ...sticking];
  });
  if (before) await page.setViewportSize(before);
  return wide;
}

/** Where the page's forms do not read as one layout at `width` px: every field's label above
 * it, starting where it starts, and no field reaching past its form. Boxes to tick keep their
 * label beside them; fields hidden (a closed <details>) are not laid out and not checked. */
async function formLayoutProblems(page: Page, width: number): Promise<string[]> {
  const before = page.viewportSize();
  await page.setViewportSize({ width, height: 900 });
  const problems = await page.evaluate(() => {
    const found: string[] = [];
    for (const form of document.querySelectorAll("form.stacked, form.filters")) {
      const edge = form.getBoundingClientRect().right;
      for (const label of form.querySelectorAll("label[for]")) {
        const control = document.getElementById(label.getAttribute("for") ?? "");
        if (!control || !form.contains(control)) continue;
        if (control instanceof HTMLInputElement && ["checkbox", "radio", "hidden"].includes(control.type)) continue;
        const l = label.getBoundingClientRect();
        const c = control.getBoundingClientRect();
        if (c.width === 0 || l.width === 0) continue;
        const name = `« ${(label.textContent ?? "").trim().slice(0, 50)} »`;
        if (l.bottom > c.top + 1) found.push(`${name} is not above its field`);
        if (Math.abs(l.left - c.left) > 2) found.push(`${name} does not start where its field starts`);
        if (c.right > edge + 1) found.push(`${name}: its field reaches past the form`);
      }
    }
    return found;
  });
  if (before) await page.setViewportSize(before);
  return problems;
}

async function expectAccessible(page: Page, hydrated: boolean) {
  await ready(page, hydrated);
  const where = new URL(page.url()).pathname + new URL(page.url()).search;
  const violations = await audit(page);
  expect(violations.map((v) => v.id), report(where, violations)).toEqual([]);
  expect(await overflowAtPhoneWidth(page), `${where} at 320 px`).toEqual([]);
  for (const width of [390, 1366]) {
    expect(await formLayoutProblems(page, width), `${where}: its forms at ${width} px`).toEqual([]);
  }
}

/** Every public kind of page, by a real address of the imported data and the examples. */
const PUBLIC_PAGES: [string, string][] = [
  ["l'accueil", "/"],
  ["une région", "/regions/76-occitanie"],
  ["un département", "/departements/12-aveyron"],
  ["une commune", "/communes/12202-rodez"],
  ["le bilan d'un département", "/departements/12-aveyron/bilan"],
  ["le bilan d'une commune", "/communes/12202-rodez/bilan"],
  ["la recherche de commune", "/recherche?q=rodez"],
  ["la recherche de commune sans réponse", "/recherche?q=zzzzzz"],
  ["la liste des offres", "/offres"],
  ["la liste des offres filtrée et cherchée", "/offres?q=rodez&type=remplacement"],
  ["la carte", "/carte"],
  ["les aides", "/aides"],
  ["le simulateur d'aides", "/aides?profil=installe_recent&commune=12202"],
  ["le simulateur d'aides, commune introuvable", "/aides?profil=interne&commune=nulle-part"],
  ["les événements", "/evenements"],
  ["la page des internes", "/internes"],
  ["les territoires qui ont un référent (guichet unique)", "/guichet-unique"],
  ["l'inscription", "/inscription"],
  ["la connexion", "/connexion"],
  ["la connexion refusée", "/connexion?erreur=identifiants"],
  ["le mot de passe oublié", "/compte/mot-de-passe-oublie"],
  ["la confidentialité", "/confidentialite"],
];

for (const [name, path] of PUBLIC_PAGES) {
  test(`accessibilité : ${name} (${path})`, async ({ page }, testInfo) => {
    const response = await page.goto(path);
    expect(response?.status(), `${path} answers`).toBe(200);
    await expectAccessible(page, testInfo.project.name === "avec-js");
  });
}

test("accessibilité : une intercommunalité (premier lien de la page du département)", async ({ page }, testInfo) => {
  await page.goto("/departements/12-aveyron");
  const epci = await page.locator('a[href^="/epci/"]').first().getAttribute("href");
  expect(epci, "a link to an EPCI on the département's page").toBeTruthy();
  expect((await page.goto(epci!))?.status()).toBe(200);
  await expectAccessible(page, testInfo.project.name === "avec-js");
});

test("accessibilité : une offre (premier lien de la liste des offres)", async ({ page }, testInfo) => {
  await page.goto("/offres");
  const offer = await page.locator("li.offer-card h3 a").first().getAttribute("href");
  expect(offer, "an offer on the board (the examples are imported)").toBeTruthy();
  expect((await page.goto(offer!))?.status()).toBe(200);
  await expectAccessible(page, testInfo.project.name === "avec-js");
});

test("accessibilité : les pages introuvables", async ({ page }, testInfo) => {
  const hydrated = testInfo.project.name === "avec-js";
  for (const path of ["/communes/99999-nulle-part", "/nulle-part"]) {
    expect((await page.goto(path))?.status(), `${path} is not found`).toBe(404);
    await expectAccessible(page, hydrated);
  }
});

test("accessibilité : la référence de l'API ouverte (/api)", async ({ page }, testInfo) => {
  // The open API's reference page. Fails first on its status if the page does not exist.
  const response = await page.goto("/api");
  expect(response?.status(), "/api must serve the open API's reference page").toBe(200);
  await expectAccessible(page, testInfo.project.name === "avec-js");
});

/** Checks pages one after the other in a story: every page is checked even when one fails
 * (soft assertions, each with its report). Returns the paths checked. */
function checker(page: Page, hydrated: boolean) {
  const checked: string[] = [];
  const check = async (path: string) => {
    const response = await page.goto(path);
    expect.soft(response?.status(), `${path} answers`).toBe(200);
    await ready(page, hydrated);
    const violations = await audit(page);
    expect.soft(violations.map((v) => v.id), report(path, violations)).toEqual([]);
    expect.soft(await overflowAtPhoneWidth(page), `${path} at 320 px`).toEqual([]);
    checked.push(path);
  };
  return { check, checked };
}

test.describe("connecté", () => {
  test.skip(!process.env.E2E_DATA_DIR, "needs E2E_DATA_DIR to read the mail of the server under test");

  test("accessibilité : les pages d'une personne connectée", async ({ page }, testInfo) => {
    // One account through a dozen pages and forms against the debug build on two cores.
    test.setTimeout(120_000);
    const project = testInfo.project.name;
    const hydrated = project === "avec-js";
    const email = `camille.a11y.${project}.${Date.now()}@exemple.fr`;
    const { check, checked } = checker(page, hydrated);

    // A confirmed account, with something on each of its pages.
    await signUp(page, "Camille Durand", email);
    await page.goto(await mailedLink(email, "/compte/verification"));
    await expect(page).toHaveURL(/\/compte\?info=adresse-confirmee$/);

    // An application to the first example offer.
    await page.goto("/offres");
    const offer = (await page.locator("li.offer-card h3 a").first().getAttribute("href"))!;
    await page.goto(offer);
    await ready(page, hydrated);
    await page.getByLabel("Votre message").fill("Bonjour, je suis disponible à partir de l'été.");
    await page.getByRole("button", { name: "Envoyer ma candidature" }).click();
    await expect(page).toHaveURL(/\/candidatures\/\d+/);
    const application = new URL(page.url()).pathname;

    // An alert on a search of the board.
    await page.goto("/offres?type=remplacement");
    await ready(page, hydrated);
    await page.getByRole("button", { name: "Créer l'alerte" }).click();
    await expect(page.getByRole("status").first()).toBeVisible();

    // An organisation, waiting for a moderator.
    await page.goto("/organisations/nouvelle");
    await ready(page, hydrated);
    await page.getByLabel("Type d'organisation").selectOption("commune");
    // A name and a commune (Albi) no other spec uses: the moderation queue is shared, other
    // specs find their organisation in it by name, and it names the others of the same code.
    await page.getByLabel("Nom de l'organisation").fill(`Commune d'essai (a11y ${project} ${Date.now()})`);
    await page.getByLabel("Code", { exact: true }).fill("81004");
    await page.getByRole("button", { name: "Créer l'organisation" }).click();
    await expect(page).toHaveURL(/\/organisations\/\d+\?info=organisation-creee$/);
    const organisation = new URL(page.url()).pathname;

    for (const path of [
      "/compte",
      "/compte/profil",
      "/compte/recherche",
      "/compte/alertes",
      "/organisations",
      "/organisations/nouvelle",
      organisation,
      "/candidatures",
      application,
      "/dossiers",
      offer, // as seen by someone who applied
      "/offres", // with the account's search to rank by
      "/aides", // with the account's profile
    ]) {
      await check(path);
    }
    expect(checked.length).toBe(13);
  });

  test("accessibilité : les pages d'une organisation vérifiée, de ses membres et de la modération", async ({
    page,
  }, testInfo) => {
    test.skip(!process.env.E2E_ADMIN_COMMAND, "needs the server's command line to appoint a moderator");
    // Three people, some thirty pages and forms against the debug build on two cores.
    test.setTimeout(240_000);
    const project = testInfo.project.name;
    const hydrated = project === "avec-js";
    const stamp = `${project}.${Date.now()}`;
    // A commune of its own for each project, so that each publishes its own territory page.
    const [commune, code] = hydrated ? ["Cahors", "46042"] : ["Villefranche-de-Rouergue", "12300"];
    const mayorEmail = `mairie.a11y.${stamp}@exemple.fr`;
    const moderatorEmail = `ars.a11y.${stamp}@exemple.fr`;
    const organisation = `Mairie de ${commune} (a11y ${stamp})`;
    const year = new Date().getFullYear() + 1;
    const { check, checked } = checker(page, hydrated);
    const here = () => new URL(page.url()).pathname;

    // A commune, created by its mayor, waiting in the moderation queue.
    await signUp(page, "Claude Mairie", mayorEmail);
    await page.goto(await mailedLink(mayorEmail, "/compte/verification"));
    await page.goto("/organisations/nouvelle");
    await ready(page, hydrated);
    await page.getByLabel("Type d'organisation").selectOption("commune");
    await page.getByLabel("Nom de l'organisation").fill(organisation);
    await page.getByLabel("Code", { exact: true }).fill(code);
    await page.getByRole("button", { name: "Créer l'organisation" }).click();
    await expect(page).toHaveURL(/\/organisations\/\d+\?info=organisation-creee$/);
    const org = here();
    await signOut(page);

    // A moderator sees the queue and verifies it.
    await signUp(page, "Agence régionale de santé", moderatorEmail);
    await page.goto(await mailedLink(moderatorEmail, "/compte/verification"));
    serverCommand("moderateur", moderatorEmail);
    await check("/moderation");
    await page.getByRole("button", { name: `Vérifier ${organisation}` }).click();
    await expect(page.getByRole("status")).toContainText("L'organisation est vérifiée");
    await signOut(page);

    // The mayor: the organisation, its invitations, its offers.
    await signIn(page, mayorEmail);
    await check(org);
    await page.getByLabel("Adresse e-mail de la personne à inviter").fill(`adjoint.a11y.${stamp}@exemple.fr`);
    await page.getByRole("button", { name: "Envoyer l'invitation" }).click();
    await expect(page.getByRole("status")).toBeVisible();
    const invitation = await mailedLink(`adjoint.a11y.${stamp}@exemple.fr`, "/organisations/invitation");
    await check(org); // with the pending invitation
    await check(`${org}/offres/nouvelle`);
    await check(`${org}/offres/nouvelle?type=remplacement`);
    await fillRemplacement(page, {
      title: `Remplacement à ${commune} (a11y ${stamp})`,
      description: "Maison de santé de quatre médecins, secrétariat sur place.",
      year,
      month: "07",
      days: "4",
      percent: "70",
      onCall: "aucune",
    });
    await page.getByRole("button", { name: "Enregistrer le brouillon" }).click();
    await expect(page).toHaveURL(/\?info=offre-enregistree$/);
    const offer = here();
    await check(offer); // the draft, as its organisation sees it
    await check(`${offer}/modification`);
    await page.goto(offer);
    await ready(page, hydrated);
    await page.getByRole("button", { name: "Publier l'offre" }).click();
    await expect(page.getByRole("status")).toContainText("L'offre est publiée");
    await check(offer); // published, with its management
    await check(`${offer}/candidats`);
    await check(`${org}/candidatures`);

    // A local aid, then its page of changes.
    await check(`${org}/aides`);
    await page.getByLabel("Nom de l'aide").fill(`Aide au logement des internes (a11y ${stamp})`);
    await page.getByLabel("Catégorie").selectOption("logement");
    await page.getByLabel("Montant en euros").fill("200");
    await page.getByLabel("Le montant est versé").selectOption("month");
    await page.getByLabel("Le montant en quelques mots").fill("200 € par mois pendant le stage");
    await page.getByLabel("Ce que l'aide apporte").fill("La commune aide les internes en stage ici à se loger.");
    await page.getByLabel("Conditions", { exact: true }).fill("Être interne en stage dans la commune.");
    await page.getByLabel("Interne", { exact: true }).check();
    await page.getByLabel("faire son stage").check();
    await page.getByLabel("Adresse de la délibération").fill("https://www.exemple-commune.fr/deliberation");
    await page.getByRole("button", { name: "Publier l'aide" }).click();
    await expect(page.getByRole("status")).toContainText("L'aide est publiée");
    await check(`${org}/aides`); // with the aid
    const aidEditor = await page.getByRole("link", { name: "Modifier ou retirer cette aide" }).first().getAttribute("href");
    await check(aidEditor!);

    // The territory page: editor, preview, published on the commune's page.
    await check(`${org}/territoire`);
    await page.getByLabel("Présentation du territoire").fill(`Bienvenue à **${commune}** : une maison de santé vous attend.`);
    await page.getByLabel("Écoles et crèches").fill("Une école et une crèche à deux pas du cabinet.");
    await page.getByLabel("Référent du guichet unique").selectOption({ label: "Claude Mairie" });
    await page.getByLabel("Son rôle, tel qu'affiché").fill("Maire adjoint à la santé");
    await page.getByRole("button", { name: "Enregistrer et prévisualiser" }).click();
    await expect(page).toHaveURL(/\/territoire\/apercu\?info=page-enregistree$/);
    await check(`${org}/territoire/apercu`);
    await page.getByRole("button", { name: "Publier cette version" }).click();
    await expect(page.getByRole("status")).toContainText("La page est publiée");
    await check(`${org}/territoire`); // with its history

    // An event, on the organisation's page of events, its own page and the calendar.
    await check(`${org}/evenements`);
    await page.getByLabel("Type d'événement").selectOption({ index: 1 });
    await page.getByLabel("Titre").fill(`Journée d'accueil des internes (a11y ${stamp})`);
    await page.getByLabel("Programme (Markdown)").fill("Visite de la maison de santé, **déjeuner** avec les médecins.");
    await page.getByLabel("Commune", { exact: true }).fill(commune);
    await page.getByLabel("Lieu (adresse, salle)").fill("Salle des fêtes");
    await page.getByLabel("Début").fill(`${year}-05-20T09:00`);
    await page.getByLabel("Fin").fill(`${year}-05-20T17:00`);
    await page.getByLabel("Nombre de places").fill("30");
    await page.getByRole("button", { name: "Publier l'événement" }).click();
    await expect(page).toHaveURL(/\/evenements\/\d+\?info=/);
    const event = here();
    await check(event); // as its organisation sees it
    await check(`${org}/evenements`); // with the event
    await signOut(page);

    // The moderator, as a doctor: the commune's page with its territory, the case opened from
    // it, the event, the moderation of aids.
    await signIn(page, moderatorEmail);
    const communePath = `/communes/${code}`;
    await page.goto(communePath);
    await check(here()); // the commune's page with its territory page and its event
    await page.getByLabel("Objet de votre demande").fill(`Installation à ${commune} (a11y ${stamp})`);
    await page.getByLabel("Votre message").fill("Bonjour, je cherche un cabinet pour m'installer l'an prochain.");
    await page.getByRole("button", { name: "Contacter le référent" }).click();
    await expect(page).toHaveURL(/\/dossiers\/\d+\?info=dossier-ouvert$/);
    await check(here());
    await check("/dossiers");
    await check(event); // as a visitor who may register
    await check("/evenements"); // with the event
    await check("/moderation/aides");
    await signOut(page);

    // Pages reached from a mail: the invitation, a new password.
    await check(new URL(invitation).pathname + new URL(invitation).search);
    await page.goto("/compte/mot-de-passe-oublie");
    await page.getByLabel("Adresse e-mail du compte").fill(mayorEmail);
    await page.getByRole("button", { name: "Recevoir un lien" }).click();
    await expect(page.getByRole("status")).toBeVisible();
    const reset = await mailedLink(mayorEmail, "/compte/nouveau-mot-de-passe");
    await check(new URL(reset).pathname + new URL(reset).search);
    expect(checked.length).toBe(27);
  });
});
