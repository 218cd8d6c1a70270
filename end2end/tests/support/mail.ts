import { expect } from '@playwright/test';

// scripts/test starts MailDev (SMTP for the app, REST API for the tests).
const maildev = process.env.KK_E2E_MAILDEV ?? 'http://127.0.0.1:1180';

interface Mail {
  subject: string;
  text: string;
  to: { address: string }[];
  date: string;
}

/** The newest mail to `address` (waits until one arrives). */
export async function lastMailTo(address: string, subject?: string): Promise<Mail> {
  let found: Mail | undefined;
  await expect
    .poll(
      async () => {
        const response = await fetch(`${maildev}/email`);
        const mails = (await response.json()) as Mail[];
        found = mails
          .filter((m) => m.to.some((t) => t.address === address))
          .filter((m) => subject === undefined || m.subject === subject)
          .sort((a, b) => Date.parse(b.date) - Date.parse(a.date))[0];
        return found !== undefined;
      },
      { timeout: 20_000, message: `a mail to ${address}` },
    )
    .toBe(true);
  return found!;
}

/** The first link of `mail` starting with `${origin}${path}`. */
export function linkIn(mail: Mail, path: string): string {
  const match = mail.text.match(new RegExp(`https?://[^\\s]+${path.replace(/\//g, '\\/')}[^\\s]*`));
  expect(match, `a ${path} link in: ${mail.text}`).not.toBeNull();
  return match![0];
}

/** A fresh address for one test. */
export function uniqueEmail(prefix: string): string {
  return `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.jp`;
}
