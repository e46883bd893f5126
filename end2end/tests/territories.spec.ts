// Territory pages as a visitor sees them. These run in both projects: without JavaScript
// (the server's HTML alone) and hydrated (the same page once the wasm bundle has taken over).
import { expect, test } from "@playwright/test";

test("la page d'une commune montre population, zonage et APL avec leurs sources", async ({ page }) => {
  await page.goto("/communes/12202-rodez");
  await expect(page.getByRole("heading", { level: 1, name: "Rodez" })).toBeVisible();
  await expect(page).toHaveTitle(/Rodez/);
  await expect(page.locator("[data-figure=population]")).toHaveText("23\u202f981");
  await expect(page.getByText("Zone d'action complémentaire (ZAC)").first()).toBeVisible();
  await expect(page.locator("[data-figure=apl]")).toHaveText("4,27");
  await expect(page.getByText(/Source\s: DREES/).first()).toBeVisible();
  await expect(page.getByText(/Source\s: ARS Occitanie/).first()).toBeVisible();
  // Up the hierarchy.
  const breadcrumb = page.getByRole("navigation", { name: "Fil d'Ariane" });
  await expect(breadcrumb.getByRole("link", { name: "Aveyron" })).toHaveAttribute("href", "/departements/12-aveyron");
  await expect(breadcrumb.getByRole("link", { name: "Occitanie" })).toHaveAttribute("href", "/regions/76-occitanie");
});

test("on descend de la région à une commune en suivant les liens", async ({ page }) => {
  await page.goto("/regions/76-occitanie");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Occitanie");
  await page.getByRole("link", { name: /Lozère/ }).first().click();
  await expect(page).toHaveURL(/\/departements\/48-lozere$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Lozère");
  // The table shows fifty communes to a page: the most populous first puts Mende on top.
  await page.getByLabel("Ordre", { exact: true }).selectOption("habitants");
  await page.getByRole("button", { name: "Afficher" }).click();
  await expect(page).toHaveURL(/tri=habitants/);
  await page.locator("#communes ~ .table-scroll table").getByRole("link", { name: "Mende", exact: true }).click();
  await expect(page).toHaveURL(/\/communes\/48095-mende$/);
  await expect(page.getByRole("heading", { level: 1, name: "Mende" })).toBeVisible();
});

test("un mauvais slug redirige vers l'adresse canonique", async ({ page }) => {
  await page.goto("/communes/12202-nimporte-quoi");
  await expect(page).toHaveURL(/\/communes\/12202-rodez$/);
  await expect(page.getByRole("heading", { level: 1, name: "Rodez" })).toBeVisible();
});

test("une commune inconnue répond 404 avec une page lisible", async ({ page }) => {
  const response = await page.goto("/communes/99999-nulle-part");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: "Page introuvable" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Rechercher une commune" }).first()).toBeVisible();
});

test("le formulaire de recherche fonctionne par code postal", async ({ page }) => {
  await page.goto("/");
  await page.getByLabel("Rechercher une commune (nom ou code postal)").fill("48000");
  await page.getByRole("button", { name: "Rechercher" }).click();
  await expect(page).toHaveURL(/\/recherche\?q=48000/);
  await expect(page.getByRole("status")).toContainText("48000");
  await expect(page.locator("ul.results").getByRole("link", { name: "Mende", exact: true })).toBeVisible();
});

test("le tableau des communes d'un département se filtre par zonage, se trie par APL et se feuillette", async ({ page }) => {
  await page.goto("/departements/12-aveyron");
  const table = page.locator("#communes ~ .table-scroll table");
  // Fifty rows to a page, not the whole département.
  await expect(table.locator("tbody tr")).toHaveCount(50);
  await expect(table.locator("caption")).toContainText(/communes, page 1 sur \d+/);
  await page.getByRole("link", { name: "Communes suivantes" }).click();
  await expect(page).toHaveURL(/\/departements\/12-aveyron\?page=2#communes$/);
  await expect(table.locator("caption")).toContainText("page 2 sur");

  await page.getByLabel("Zonage", { exact: true }).selectOption("ZIP");
  await page.getByLabel("Ordre", { exact: true }).selectOption("apl");
  await page.getByRole("button", { name: "Afficher" }).click();
  await expect(page).toHaveURL(/\?zonage=ZIP&tri=apl#communes$/);
  await expect(table.locator("caption")).toContainText(/communes? en ZIP sur \d+/);
  const badges = await table.locator("tbody tr td:nth-child(3)").allTextContents();
  expect(badges.length).toBeGreaterThan(0);
  expect(badges.every((b) => b.trim() === "ZIP")).toBe(true);
  // Lowest APL first; communes without a figure last.
  const apl = (await table.locator("tbody tr td:nth-child(4)").allTextContents())
    .map((t) => t.replace(/[^\d,]/g, "").replace(",", "."))
    .filter((t) => t !== "")
    .map(Number);
  expect(apl).toEqual([...apl].sort((a, b) => a - b));
});

test("une adresse de tableau mal formée affiche un message et toutes les communes", async ({ page }) => {
  const response = await page.goto("/departements/12-aveyron?zonage=ZXX&page=abc");
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("alert").filter({ hasText: "Ce zonage n'existe pas" })).toBeVisible();
  await expect(page.getByRole("alert").filter({ hasText: "Ce numéro de page n'existe pas" })).toBeVisible();
  await expect(page.locator("#communes ~ .table-scroll table tbody tr")).toHaveCount(50);
});
