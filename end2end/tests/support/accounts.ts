import AxeBuilder from '@axe-core/playwright';
import { expect, type Browser, type Page } from '@playwright/test';
import { openPage } from './app';
import { lastMailTo, linkIn } from './mail';
import { totp } from './totp';

export const PASSWORD = 'Kz8#mq2!Lp';

export async function expectNoViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** Signs up through the form and follows the link of the verification mail. */
export async function signUpAndVerify(page: Page, email: string) {
  await openPage(page, '/signup');
  await page.getByLabel('姓', { exact: true }).fill('山田');
  await page.getByLabel('名', { exact: true }).fill('花子');
  await page.getByLabel('姓（ふりがな）').fill('ヤマダ');
  await page.getByLabel('名（ふりがな）').fill('はなこ');
  await page.getByLabel('メールアドレス').fill(email);
  await page.getByLabel('パスワード', { exact: true }).fill(PASSWORD);
  await page.getByLabel('パスワード（確認）').fill(PASSWORD);
  await page.getByLabel('利用規約に同意する').check();
  await page.getByLabel('プライバシーポリシーに同意する').check();
  await page.getByRole('button', { name: '登録する' }).click();
  await expect(page.getByRole('heading', { name: '確認メールを送信しました' })).toBeVisible();

  const mail = await lastMailTo(email, '【けいかくん】メールアドレスの確認をお願いします');
  expect(mail.text).toContain('山田 花子 様');
  await openPage(page, linkIn(mail, '/verify-email'));
  await expect(page.getByText('メールアドレスを確認しました。ログインしてください')).toBeVisible();
}

export async function logIn(page: Page, email: string) {
  await openPage(page, '/login');
  await page.getByLabel('メールアドレス').fill(email);
  await page.getByLabel('パスワード').fill(PASSWORD);
  await page.getByRole('button', { name: 'ログイン' }).click();
}

export async function setUpOffice(page: Page, name: string) {
  await expect(page).toHaveURL(/\/setup\/office$/);
  await page.getByLabel('事業所名', { exact: true }).fill(name);
  await page.getByLabel('生活介護').check();
  await page.getByRole('button', { name: '事業所を登録する' }).click();
  await expect(page).toHaveURL(/\/home$/);
}


/** Turns on two-step verification on /settings/security; returns the manual key. */
export async function enableMfa(page: Page): Promise<string> {
  await openPage(page, '/settings/security');
  await page.getByRole('button', { name: '2段階認証を設定する' }).click();
  const key = (await page.getByLabel('手入力用のキー').textContent())!;
  await page.getByLabel('確認コード').fill(totp(key));
  await page.getByRole('button', { name: '確認して有効にする' }).click();
  await page.getByLabel('安全な場所に保管しました').check();
  await page.getByRole('button', { name: '次へ進む' }).click();
  await expect(page.getByTestId('mfa-status')).toHaveText('有効');
  return key;
}

/**
 * The signed-in owner on `page` invites `email` with `roleLabel`; the invitee accepts in a new
 * browser context (own cookies). Returns the invitee's page, signed in.
 */
export async function inviteAndJoin(page: Page, browser: Browser, email: string, roleLabel: string, office: string): Promise<Page> {
  await openPage(page, '/settings/staff');
  await page.getByLabel('メールアドレス').fill(email);
  await page.getByLabel('役割', { exact: true }).selectOption({ label: roleLabel });
  await page.getByRole('button', { name: '招待メールを送る' }).click();
  await expect(page.getByText(`${email} さんに招待メールを送信しました。`)).toBeVisible();
  const mail = await lastMailTo(email, `【けいかくん】「${office}」への招待が届いています`);
  const context = await browser.newContext();
  const invitee = await context.newPage();
  await openPage(invitee, linkIn(mail, '/invite'));
  await invitee.getByLabel('姓', { exact: true }).fill('田中');
  await invitee.getByLabel('名', { exact: true }).fill('健');
  await invitee.getByLabel('姓（ふりがな）').fill('たなか');
  await invitee.getByLabel('名（ふりがな）').fill('けん');
  await invitee.getByLabel('パスワード', { exact: true }).fill(PASSWORD);
  await invitee.getByLabel('パスワード（確認）').fill(PASSWORD);
  await invitee.getByLabel('利用規約に同意する').check();
  await invitee.getByLabel('プライバシーポリシーに同意する').check();
  await invitee.getByRole('button', { name: '登録して参加する' }).click();
  await expect(invitee).toHaveURL(/\/home$/);
  return invitee;
}
