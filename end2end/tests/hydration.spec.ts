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

test("la politique de sécurité du contenu laisse la page s'hydrater et ne bloque rien", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (message.text().includes("Content Security Policy")) violations.push(`console: ${message.text()}`);
  });
  // Reported by each document from its first script on, through a binding that survives
  // navigations (neither the binding nor the init script is subject to the page's policy).
  await page.exposeFunction("reportCspViolation", (text: string) => violations.push(`event: ${text}`));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const report = (window as unknown as { reportCspViolation: (text: string) => void }).reportCspViolation;
      report(`${event.effectiveDirective} ${event.blockedURI}`);
    });
  });

  // The policy is really there, and its nonce is the hydration script's.
  const response = await page.goto("/");
  const policy = response?.headers()["content-security-policy"] ?? "";
  const nonce = /script-src 'self' 'nonce-([^']+)' 'wasm-unsafe-eval'/.exec(policy)?.[1];
  expect(nonce, policy).toBeTruthy();
  await expect(page.locator("body[data-hydrated=true]")).toBeAttached();
  // A nonce is hidden from the DOM attribute once the page runs: read the property.
  const hydrationScript = page.locator("script[type=module]").first();
  expect(await hydrationScript.evaluate((script) => (script as HTMLScriptElement).nonce)).toBe(nonce);

  // Suggestions come from a server function: a fetch, which connect-src must allow.
  const box = page.getByLabel("Rechercher une commune (nom ou code postal)");
  await box.pressSequentially("roDE", { delay: 50 });
  const suggestions = page.getByRole("list", { name: "Suggestions de communes" });
  await suggestions.getByRole("link", { name: "Rodez", exact: true }).click();
  await expect(page).toHaveURL(/\/communes\/12202-rodez$/);
  await expect(page.locator("[data-figure=population]")).toHaveText("23\u202f981");

  // The commune page loaded on its own: streamed resource data, JSON-LD, hydration.
  await page.goto("/communes/12202-rodez");
  await expect(page.locator("body[data-hydrated=true]")).toBeAttached();
  await expect(page.locator("[data-figure=population]")).toHaveText("23\u202f981");
  expect(violations).toEqual([]);

  // The watch works: an inline script without the nonce is refused and reported both ways.
  await page.evaluate(() => {
    const script = document.createElement("script");
    script.textContent = "document.body.dataset.injected = 'true';";
    document.body.append(script);
  });
  await expect.poll(() => violations.some((v) => v.startsWith("event: script-src-elem inline"))).toBe(true);
  await expect.poll(() => violations.some((v) => v.startsWith("console: "))).toBe(true);
  await expect(page.locator("body")).not.toHaveAttribute("data-injected", "true");
});
