// Searching the board with words, as a doctor types them (accents left out, a typo), with
// JavaScript off (a plain GET form: Enter submits) and on (the results follow the typing,
// without losing the box). The server under test holds the example offers (`server exemples`).
import { expect, test } from "@playwright/test";
import { islandsReady } from "./people";

test("on cherche dans les offres malgré une faute de frappe, avec les nombres à côté des filtres", async ({ page }, testInfo) => {
  const hydrated = testInfo.project.name === "avec-js";
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto("/offres");
  if (hydrated) await islandsReady(page);
  const all = await page.locator("#resultats").innerText();

  const box = page.getByLabel("Rechercher dans les offres");
  await box.fill("remplacemnt");
  if (hydrated) {
    // No Enter: the address and the results follow the typing, and the box keeps the focus.
    await expect(page).toHaveURL(/\/offres\?q=remplacemnt$/);
    await expect(box).toBeFocused();
  } else {
    await box.press("Enter");
    await expect(page).toHaveURL(/\/offres\?q=remplacemnt&specialite=/);
  }
  await expect(page.locator("#resultats")).not.toHaveText(all);
  await expect(page.locator("#resultats")).toContainText(/\d+ offres?/);
  await expect(page.locator(".offer-card mark").first()).toHaveText(/^remplac/i);
  const remplacements = page.getByRole("checkbox", { name: /^Remplacement \(\d+\)$/ });
  await expect(remplacements).toHaveCount(1);

  // Narrowing to a kind keeps the words, and the counts follow.
  await remplacements.check();
  await page.getByRole("button", { name: "Filtrer" }).click();
  await expect(page).toHaveURL(/\/offres\?q=remplacemnt&type=remplacement&/);
  await expect(box).toHaveValue("remplacemnt");
  await expect(remplacements).toBeChecked();
  const shown = (await remplacements.getAttribute("id")) ?? "";
  const label = (await page.locator(`label[for="${shown}"]`).innerText()).match(/\((\d+)\)$/)?.[1];
  await expect(page.locator("#resultats")).toContainText(new RegExp(`^${label} offres?`));
  expect(errors).toEqual([]);
});
