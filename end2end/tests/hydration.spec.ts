// What only the hydrated page does. Skipped in the JavaScript-off project, where the plain
// form of territories.spec.ts is the way to search.
import { expect, test } from "@playwright/test";

test.beforeEach(({}, testInfo) => {
  test.skip(testInfo.project.name === "sans-js", "needs the wasm bundle");
});

test("la page s'hydrate sans erreur dans la console", async ({ page }) => {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto("/");
  await expect(page.locator("body[data-hydrated=true]")).toBeAttached();
  expect(errors).toEqual([]);
});

test("la recherche suggère des communes pendant la frappe", async ({ page }) => {
  await page.goto("/");
  await expect(page.locator("body[data-hydrated=true]")).toBeAttached();
  const box = page.getByLabel("Rechercher une commune (nom ou code postal)");
  await box.pressSequentially("roDE", { delay: 50 });
  const suggestions = page.getByRole("list", { name: "Suggestions de communes" });
  const rodez = suggestions.getByRole("link", { name: "Rodez", exact: true });
  await expect(rodez).toBeVisible();
  // Nothing was submitted: the suggestions came while typing.
  await expect(page).toHaveURL(/\/$/);
  await rodez.click();
  await expect(page).toHaveURL(/\/communes\/12202-rodez$/);
  await expect(page.locator("[data-figure=population]")).toHaveText("23\u202f981");
});
