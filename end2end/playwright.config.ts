import { defineConfig } from "@playwright/test";

// The server under test is started by .ci/test through E2E_SERVER_COMMAND (import the
// reference data into a fresh database, then serve) on the free port of E2E_BASE_URL; a local
// run can point E2E_BASE_URL at a running portal instead.
const baseURL = process.env.E2E_BASE_URL ?? "http://127.0.0.1:3100";
const serverCommand = process.env.E2E_SERVER_COMMAND;

// Debian's Chromium, never a downloaded browser. Without the background-networking flags it
// keeps trying to reach Google's hosts, which this machine's closed network refuses. It runs
// in French, as our users' browsers do (Debian's chromium-l10n, the language flag and the
// locale of its environment): date fields then read jj/mm/aaaa and the browser's own messages
// (a required field left empty) are French; the locale option below only sets what pages see.
const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  env: { ...process.env, LANG: "fr_FR.UTF-8", LANGUAGE: "fr" },
  args: [
    "--lang=fr-FR",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
  ],
};

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  outputDir: "test-results",
  use: {
    baseURL,
    headless: true,
    locale: "fr-FR",
    launchOptions: chromium,
    trace: "retain-on-failure",
  },
  projects: [
    // Pure server-side rendering: what search engines and people without JavaScript get.
    { name: "sans-js", use: { javaScriptEnabled: false } },
    // Hydrated: the wasm bundle takes over the page.
    { name: "avec-js", use: { javaScriptEnabled: true } },
  ],
  webServer: serverCommand
    ? {
        command: serverCommand,
        url: `${baseURL}/healthz`,
        reuseExistingServer: false,
        timeout: 180_000,
        stdout: "ignore",
        stderr: "pipe",
      }
    : undefined,
});
