import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { openPage } from './support/app';
import { lastMailTo, linkIn, uniqueEmail } from './support/mail';

const PASSWORD = 'Kz8#mq2!Lp';

async function expectNoViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** Signs up through the form and follows the link of the verification mail. */
async function signUpAndVerify(page: Page, email: string) {
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

async function logIn(page: Page, email: string) {
  await openPage(page, '/login');
  await page.getByLabel('メールアドレス').fill(email);
  await page.getByLabel('パスワード').fill(PASSWORD);
  await page.getByRole('button', { name: 'ログイン' }).click();
}

test.describe('owner accounts', () => {
  test('an owner signs up, verifies the address, logs in, sets up the office and logs out', async ({ page }) => {
    const email = uniqueEmail('owner');
    await signUpAndVerify(page, email);

    await logIn(page, email);
    await expect(page).toHaveURL(/\/setup\/office$/);
    await expect(page.getByRole('heading', { name: '事業所の登録' })).toBeVisible();
    await expectNoViolations(page);

    // Nothing chosen: the messages appear beside the fields, from the shared rules.
    await page.getByRole('button', { name: '事業所を登録する' }).click();
    await expect(page.locator('#f-name-error')).toHaveText('入力してください');
    await expect(page.locator('#f-service_types-error')).toHaveText('サービス種別を1つ以上選択してください');
    await expect(page.getByLabel('事業所名', { exact: true })).toBeFocused();

    await page.getByLabel('事業所名', { exact: true }).fill('ひまわり作業所');
    await page.getByLabel('就労継続支援B型').check();
    await page.getByText('詳しい情報（任意）').click();
    await page.getByLabel('事業所番号').fill('１２３');
    await page.getByRole('button', { name: '事業所を登録する' }).click();
    await expect(page.locator('#f-office_number-error')).toHaveText('事業所番号は10桁の数字で入力してください');
    await page.getByLabel('事業所番号').fill('１２３４５６７８９０');
    await page.getByRole('button', { name: '事業所を登録する' }).click();

    await expect(page).toHaveURL(/\/home$/);
    await expect(page.getByRole('heading', { name: 'ひまわり作業所', level: 1 })).toBeVisible();
    await expect(page.getByText('1234567890')).toBeVisible();
    await expect(page.getByText('山田 花子さん（オーナー）としてログインしています。')).toBeVisible();
    await expectNoViolations(page);

    await page.getByRole('button', { name: 'ログアウト' }).click();
    await expect(page).toHaveURL(/\/login$/);
    await openPage(page, '/home');
    await expect(page).toHaveURL(/\/login\?from=\/home$/);
  });

  test('the signup form explains every problem in Japanese and keeps the input', async ({ page }) => {
    await openPage(page, '/signup');
    await page.getByLabel('メールアドレス').fill('hanako@example');
    await page.getByLabel('パスワード', { exact: true }).fill('hanako');
    await page.getByRole('button', { name: '登録する' }).click();
    await expect(page.locator('#f-last_name-error')).toHaveText('入力してください');
    await expect(page.getByLabel('姓', { exact: true })).toBeFocused();
    await expect(page.locator('#f-email-error')).toHaveText('メールアドレスの形式が正しくありません');
    await expect(page.locator('#f-password-error')).toHaveText('パスワードは8〜128文字の半角英数字・記号で入力してください');
    await expect(page.locator('#f-agree_terms-error')).toHaveText('利用規約への同意が必要です');
    await expect(page.getByLabel('メールアドレス')).toHaveValue('hanako@example');
    // The live checklist follows the typing.
    await page.getByLabel('パスワード', { exact: true }).fill(PASSWORD);
    await expect(page.getByRole('list', { name: 'パスワードの条件' }).locator('.checklist__item--ok')).toHaveCount(8);
    await expectNoViolations(page);
  });

  test('a wrong password gets one message and a locked address says how long to wait', async ({ page }) => {
    await openPage(page, '/login');
    await page.getByLabel('メールアドレス').fill(uniqueEmail('nobody'));
    await page.getByLabel('パスワード').fill('Wrong#pass1');
    await page.getByRole('button', { name: 'ログイン' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'メールアドレスまたはパスワードが正しくありません' })).toBeVisible();
  });

  test('login works with the keyboard alone', async ({ page }) => {
    const email = uniqueEmail('keys');
    await signUpAndVerify(page, email);
    await openPage(page, '/login');
    await page.getByLabel('メールアドレス').focus();
    await page.keyboard.type(email);
    await page.keyboard.press('Tab');
    await expect(page.getByLabel('パスワード')).toBeFocused();
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/\/setup\/office$/);
  });
});
