import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures';
import { execFileSync } from 'node:child_process';
import { expectNoViolations } from './support/accounts';
import { openPage } from './support/app';
import { uniqueEmail } from './support/mail';
import { totp } from './support/totp';

const PASSWORD = 'Kz8#mq2!Lp';
const PASSPHRASE = '春はあけぼの、やうやう白く';

/** `keikakun admin create`, as an operator runs it on the server (secrets on standard input). */
function createAppAdmin(email: string) {
  const out = execFileSync(
    process.env.KK_E2E_SERVER!,
    ['admin', 'create', '--email', email, '--last-name', '運営', '--first-name', '太郎',
      '--last-name-kana', 'うんえい', '--first-name-kana', 'たろう'],
    {
      input: `${PASSWORD}\n${PASSWORD}\n${PASSPHRASE}\n${PASSPHRASE}\n`,
      env: {
        ...process.env,
        DATABASE_URL: process.env.KK_E2E_DATABASE_URL,
        KK_DATA_DIR: process.env.KK_E2E_DATA_DIR ?? '/tmp/keikakun-e2e-data',
        RUST_LOG: 'warn',
      },
    },
  );
  expect(out.toString()).toMatch(/^app_admin created: /);
}

async function passwordStep(page: Page, email: string, passphrase: string) {
  await page.getByLabel('メールアドレス').fill(email);
  await page.getByLabel('パスワード').fill(PASSWORD);
  await page.getByLabel('合言葉').fill(passphrase);
  await page.getByRole('button', { name: '次へ' }).click();
}

test.describe('app_admin', () => {
  test('an operator made by the CLI signs in with the passphrase and sets up TOTP', async ({ page }) => {
    const email = uniqueEmail('operator');
    createAppAdmin(email);

    // The console needs a session: visitors are sent to the admin login page.
    await openPage(page, '/app-admin');
    await expect(page).toHaveURL(/\/app-admin\/login$/);
    await expect(page.getByRole('heading', { name: 'アプリ管理者ログイン' })).toBeVisible();
    await expectNoViolations(page);

    // Empty fields: a message beside each, from the shared form type.
    await page.getByRole('button', { name: '次へ' }).click();
    await expect(page.locator('#f-email-error')).toContainText('入力してください');
    await expect(page.locator('#f-passphrase-error')).toContainText('入力してください');

    // A wrong passphrase gets the same message as a wrong password.
    await passwordStep(page, email, 'まちがった合言葉ですよ');
    await expect(page.getByRole('alert').filter({ hasText: 'メールアドレスまたはパスワードが正しくありません' })).toBeVisible();

    await passwordStep(page, email, PASSPHRASE);
    await expect(page.getByText('アプリ管理者は2段階認証の設定が必要です。')).toBeVisible();
    await page.getByRole('button', { name: '設定を始める' }).click();
    const key = (await page.getByLabel('手入力用のキー').textContent())!;
    const enrolCode = totp(key);
    await page.getByLabel('確認コード').fill(enrolCode);
    await page.getByRole('button', { name: '確認して有効にする' }).click();
    await expect(page.getByTestId('recovery-codes').locator('li')).toHaveCount(10);
    await page.getByLabel('安全な場所に保管しました').check();
    await page.getByRole('button', { name: '次へ進む' }).click();

    await expect(page).toHaveURL(/\/app-admin$/);
    await expect(page.getByRole('heading', { name: 'アプリ管理コンソール', level: 1 })).toBeVisible();
    await expect(page.getByText('運営 太郎さん（アプリ管理者）としてログインしています。')).toBeVisible();
    await expect(page.getByText('合言葉の最終変更')).toBeVisible();
    await expectNoViolations(page);
    // Office pages are not theirs.
    await openPage(page, '/home');
    await expect(page).toHaveURL(/\/app-admin$/);

    const nav = page.getByRole('navigation', { name: 'メインメニュー' });
    await nav.getByRole('button', { name: 'ログアウト' }).click();
    await expect(page).toHaveURL(/\/app-admin\/login$/);

    // Next time: password, passphrase, then the code (not the one used before).
    await passwordStep(page, email, PASSPHRASE);
    await expect(page.getByRole('heading', { name: '2段階認証' })).toBeVisible();
    await page.getByLabel('確認コード').fill(totp(key, 1));
    await page.getByRole('button', { name: '確認する' }).click();
    await expect(page).toHaveURL(/\/app-admin$/);
  });
});
