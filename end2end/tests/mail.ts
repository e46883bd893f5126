// Reads the mail the portal under test wrote with its file transport (the embedded default):
// one .eml file per message in $E2E_DATA_DIR/mail.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

/** The body of a message as a person reads it: quoted-printable soft breaks and escapes undone,
 * and the non-breaking spaces of French typography read as spaces. */
function readable(eml: string): string {
  const joined = eml.replace(/=\r?\n/g, "");
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const escape = joined.slice(i, i + 3);
    if (/^=[0-9A-F]{2}$/.test(escape)) {
      bytes.push(parseInt(escape.slice(1), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i], "utf8"));
    }
  }
  return Buffer.from(bytes).toString("utf8").replace(/[\u00a0\u202f]/g, " ");
}

/** Every mail written so far, as people read them. */
function mails(): string[] {
  const dataDir = process.env.E2E_DATA_DIR;
  if (!dataDir) throw new Error("E2E_DATA_DIR must name the data directory of the server under test");
  const dir = join(dataDir, "mail");
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith(".eml"));
  } catch {
    // The directory appears with the first mail.
  }
  return files.map((file) => readable(readFileSync(join(dir, file), "utf8")));
}

/** Waits for a mail to `to` holding a link to `path` and returns the link. */
export async function mailedLink(to: string, path: string, timeoutMs = 20_000): Promise<string> {
  const pattern = new RegExp(`https?://[^\\s"<]+${path.replace(/[/]/g, "\\/")}\\?jeton=[0-9a-f]{64}`);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const text of mails()) {
      const found = text.includes(`To: ${to}`) ? text.match(pattern) : null;
      if (found) return found[0];
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no mail to ${to} with a link to ${path} within ${timeoutMs} ms`);
}

/** Waits for a mail to `to` whose body says `phrase` and returns it as a person reads it (the
 * body only: accented subjects are encoded in the headers). */
export async function mailedText(to: string, phrase: string, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = mails().find((text) => text.includes(`To: ${to}`) && text.includes(phrase));
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no mail to ${to} saying « ${phrase} » within ${timeoutMs} ms`);
}
