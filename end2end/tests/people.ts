// The steps every story of the portal starts with: accounts, and the operator's command line.
import { execFileSync } from "node:child_process";
import { type Page, expect } from "@playwright/test";

export const PASSWORD = "une longue phrase";

/** Runs the portal's command line against the server under test (`server moderateur …`). */
export function serverCommand(...args: string[]) {
  const command = process.env.E2E_ADMIN_COMMAND;
  if (!command) throw new Error("E2E_ADMIN_COMMAND must run the server binary against the database under test");
  execFileSync("sh", ["-c", `${command} "$@"`, "sh", ...args], { stdio: "pipe" });
}

export async function signUp(page: Page, name: string, email: string) {
  await page.goto("/inscription");
  await page.getByLabel("Nom affiché").fill(name);
  await page.getByLabel("Adresse e-mail").fill(email);
  await page.getByLabel("Mot de passe").fill(PASSWORD);
  await page.getByRole("button", { name: "Créer mon compte" }).click();
  await expect(page).toHaveURL(/\/compte\?info=bienvenue$/);
}

/** Signs out from the account page, where the button is. */
export async function signOut(page: Page) {
  if (!new URL(page.url()).pathname.startsWith("/compte")) await page.goto("/compte");
  await page.getByRole("button", { name: "Se déconnecter" }).click();
  await expect(page).toHaveURL(/\/connexion\?info=deconnecte$/);
}

export async function signIn(page: Page, email: string) {
  await page.goto("/connexion");
  await page.getByLabel("Adresse e-mail").fill(email);
  await page.getByLabel("Mot de passe").fill(PASSWORD);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await expect(page).toHaveURL(/\/compte$/);
}

/**
 * Waits until the page's islands (map, search as you type, suggestions) are live, when
 * JavaScript is on; a page without an island loads no script and is ready as it comes.
 */
export async function islandsReady(page: Page) {
  if ((await page.locator("leptos-island").count()) === 0) return;
  // The debug bundle is large: on two busy cores its hydration can take more than 10 s.
  await expect(page.locator("body[data-hydrated=true]")).toBeAttached({ timeout: 30_000 });
}

/** The wait after each navigation of a journey: the islands with JavaScript, nothing without. */
export function readiness(page: Page, project: string): () => Promise<void> {
  return async () => {
    if (project === "avec-js") await islandsReady(page);
  };
}

/**
 * Collects what the page's scripts throw, and with `console` (the default) the errors they log
 * (hydration's complaints among them): a journey ends with none.
 */
export function scriptErrors(page: Page, { console = true } = {}): string[] {
  const errors: string[] = [];
  if (console) {
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
  }
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}

/**
 * Brings the page's live map: scrolls to it (MapLibre comes when it nears the viewport) and,
 * for a map shown first as a picture (the region's), presses its button; then waits until
 * MapLibre has loaded its style.
 */
export async function openMap(page: Page) {
  await page.locator("#carte-canvas").scrollIntoViewIfNeeded();
  const start = page.locator("#carte-canvas .map-start");
  if (await start.count()) await start.click();
  await expect(page.locator("#carte-canvas[data-carte=prete]")).toBeAttached({ timeout: 20_000 });
}

/**
 * A commune organisation (`name`, INSEE `code`) created by a new account `email`, then
 * verified by a new moderator `moderatorEmail`; ends signed out. Returns the organisation's
 * page. `ready` waits for the islands when JavaScript is on.
 */
export async function verifiedCommune(
  page: Page,
  commune: { mayor: string; email: string; name: string; code: string; moderatorEmail: string },
  ready: () => Promise<void>,
): Promise<string> {
  await signUp(page, commune.mayor, commune.email);
  await page.goto("/organisations/nouvelle");
  await ready();
  await page.getByLabel("Type d'organisation").selectOption("commune");
  await page.getByLabel("Nom de l'organisation").fill(commune.name);
  await page.getByLabel("Code", { exact: true }).fill(commune.code);
  await page.getByRole("button", { name: "Créer l'organisation" }).click();
  await expect(page).toHaveURL(/\/organisations\/\d+\?info=organisation-creee$/);
  const organisationPath = new URL(page.url()).pathname;
  await signOut(page);
  await signUp(page, "ARS Occitanie", commune.moderatorEmail);
  serverCommand("moderateur", commune.moderatorEmail);
  await page.goto("/moderation");
  await page.getByRole("button", { name: `Vérifier ${commune.name}` }).click();
  await expect(page.getByRole("status")).toContainText("L'organisation est vérifiée");
  await signOut(page);
  return organisationPath;
}

/**
 * Fills the remplacement form (the page of `/offres/nouvelle?type=remplacement`) with a
 * month in `year` and a rétrocession of `percent` %; the caller saves it.
 */
export async function fillRemplacement(
  page: Page,
  offer: { title: string; description: string; year: number; month: string; days: string; percent: string; onCall: string },
) {
  await page.getByLabel("Modalité").selectOption("ponctuel");
  await page.getByLabel("Titre de l'offre").fill(offer.title);
  await page.getByLabel("Description").fill(offer.description);
  await page.getByLabel("Premier jour du remplacement").fill(`${offer.year}-${offer.month}-01`);
  await page.getByLabel("Dernier jour").fill(`${offer.year}-${offer.month}-31`);
  await page.getByLabel("Jours par semaine").fill(offer.days);
  await page.getByLabel("Rémunération", { exact: true }).selectOption("retrocession");
  await page.getByLabel("Montant").fill(offer.percent);
  await page.getByLabel("Gardes").selectOption(offer.onCall);
  await page.getByLabel("Secrétariat").selectOption("sur_place");
  await page.getByLabel("Logiciel médical").fill("Weda");
  await page.getByLabel("Logement", { exact: true }).selectOption("oui");
}
