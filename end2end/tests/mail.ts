// Reads the mail the portal under test wrote with its file transport (the embedded default):
// one .eml file per message in $E2E_DATA_DIR/mail.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

/** The body of a message as a person reads it: quoted-printable soft breaks and escapes undone. */
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
  return Buffer.from(bytes).toString("utf8");
}

/** Waits for a mail to `to` holding a link to `path` and returns the link. */
export async function mailedLink(to: string, path: string, timeoutMs = 20_000): Promise<string> {
  const dataDir = process.env.E2E_DATA_DIR;
  if (!dataDir) throw new Error("E2E_DATA_DIR must name the data directory of the server under test");
  const dir = join(dataDir, "mail");
  const pattern = new RegExp(`https?://[^\\s"<]+${path.replace(/[/]/g, "\\/")}\\?jeton=[0-9a-f]{64}`);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    let files: string[] = [];
    try {
      files = readdirSync(dir).filter((f) => f.endsWith(".eml"));
    } catch {
      // The directory appears with the first mail.
    }
    for (const file of files) {
      const text = readable(readFileSync(join(dir, file), "utf8"));
      const found = text.includes(`To: ${to}`) ? text.match(pattern) : null;
      if (found) return found[0];
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no mail to ${to} with a link to ${path} within ${timeoutMs} ms`);
}
