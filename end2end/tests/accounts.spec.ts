import { expect, test } from './support/fixtures';
import { expectNoViolations, logIn, PASSWORD, setUpOffice, signUpAndVerify } from './support/accounts';
import { openPage } from './support/app';
import { lastMailTo, linkIn, uniqueEmail } from './support/mail';
import { totp } from './support/totp';

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

    await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('button', { name: 'ログアウト' }).click();
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

  test('a wrong password gets one generic message', async ({ page }) => {
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

  test('an owner turns on two-step verification and then logs in with a code', async ({ page }) => {
    const email = uniqueEmail('mfa');
    await signUpAndVerify(page, email);
    await logIn(page, email);
    await setUpOffice(page, 'さくら作業所');
    await expect(page.getByText('利用者の情報を登録・編集するには、2段階認証の設定が必要です。')).toBeVisible();
    await page.getByRole('link', { name: '2段階認証を設定する' }).click();
    await expect(page).toHaveURL(/\/settings\/security$/);
    await expect(page.getByTestId('mfa-status')).toHaveText('設定されていません');

    await page.getByRole('button', { name: '2段階認証を設定する' }).click();
    await expect(page.getByRole('img', { name: '2段階認証の設定用QRコード' })).toBeVisible();
    const key = (await page.getByLabel('手入力用のキー').textContent())!;
    expect(key.replace(/ /g, '')).toMatch(/^[A-Z2-7]{32}$/);
    await expectNoViolations(page);

    await page.getByLabel('確認コード').fill('000000');
    await page.getByRole('button', { name: '確認して有効にする' }).click();
    await expect(page.locator('#f-code-error')).toContainText('確認コードが正しくありません');
    const enrolCode = totp(key);
    await page.getByLabel('確認コード').fill(enrolCode);
    await page.getByRole('button', { name: '確認して有効にする' }).click();

    const codes = page.getByTestId('recovery-codes').locator('li');
    await expect(codes).toHaveCount(10);
    await expect(codes.first()).toHaveText(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const continueButton = page.getByRole('button', { name: '次へ進む' });
    await expect(continueButton).toBeDisabled();
    await page.getByLabel('安全な場所に保管しました').check();
    await continueButton.click();
    await expect(page.getByTestId('mfa-status')).toHaveText('有効');
    expect((await lastMailTo(email, '【けいかくん】2段階認証の設定が変更されました')).text).toContain('2段階認証を有効にしました');

    await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('button', { name: 'ログアウト' }).click();
    await expect(page).toHaveURL(/\/login$/);
    await logIn(page, email);
    await expect(page.getByRole('heading', { name: '2段階認証' })).toBeVisible();
    // The code that turned MFA on cannot be used again.
    await page.getByLabel('確認コード').fill(enrolCode);
    await page.getByRole('button', { name: '確認する' }).click();
    await expect(page.locator('#f-code-error')).toContainText('確認コードが正しくありません');
    await page.getByLabel('確認コード').fill(totp(key, 1));
    await page.getByRole('button', { name: '確認する' }).click();
    await expect(page).toHaveURL(/\/home$/);
    await expect(page.getByRole('heading', { name: 'さくら作業所', level: 1 })).toBeVisible();
  });

  test('an owner invites a manager, who accepts and logs in', async ({ page, browser }) => {
    const ownerEmail = uniqueEmail('inviter');
    await signUpAndVerify(page, ownerEmail);
    await logIn(page, ownerEmail);
    await setUpOffice(page, 'かえで事業所');
    await page.getByRole('link', { name: 'スタッフ管理' }).click();
    await expect(page.getByRole('heading', { name: 'スタッフ管理', level: 1 })).toBeVisible();

    const managerEmail = uniqueEmail('manager');
    await page.getByLabel('メールアドレス').fill(managerEmail);
    await page.getByLabel('お名前（任意）').fill('佐藤 次郎');
    await page.getByLabel('役割', { exact: true }).selectOption({ label: 'マネージャー' });
    await page.getByRole('button', { name: '招待メールを送る' }).click();
    await expect(page.getByText(`${managerEmail} さんに招待メールを送信しました。`)).toBeVisible();
    await expect(page.getByRole('row', { name: new RegExp(managerEmail) })).toContainText('招待中');
    await expectNoViolations(page);

    const mail = await lastMailTo(managerEmail, '【けいかくん】「かえで事業所」への招待が届いています');
    expect(mail.text).toContain('佐藤 次郎 様');
    // The invitee uses another browser (a context with its own cookies).
    const context = await browser.newContext();
    const invitee = await context.newPage();
    await openPage(invitee, linkIn(mail, '/invite'));
    await expect(invitee.getByText('「かえで事業所」にマネージャーとして招待されています。')).toBeVisible();
    await expect(invitee.getByText(managerEmail)).toBeVisible();
    await invitee.getByLabel('姓', { exact: true }).fill('佐藤');
    await invitee.getByLabel('名', { exact: true }).fill('次郎');
    await invitee.getByLabel('姓（ふりがな）').fill('さとう');
    await invitee.getByLabel('名（ふりがな）').fill('じろう');
    await invitee.getByLabel('パスワード', { exact: true }).fill(PASSWORD);
    await invitee.getByLabel('パスワード（確認）').fill(PASSWORD);
    await invitee.getByLabel('利用規約に同意する').check();
    await invitee.getByLabel('プライバシーポリシーに同意する').check();
    await expectNoViolations(invitee);
    await invitee.getByRole('button', { name: '登録して参加する' }).click();
    await expect(invitee).toHaveURL(/\/home$/);
    await expect(invitee.getByText('佐藤 次郎さん（マネージャー）としてログインしています。')).toBeVisible();

    // The manager logs out and back in with the new password.
    await invitee.getByRole('navigation', { name: 'メインメニュー' }).getByRole('button', { name: 'ログアウト' }).click();
    await expect(invitee).toHaveURL(/\/login$/);
    await logIn(invitee, managerEmail);
    await expect(invitee).toHaveURL(/\/home$/);
    await expect(invitee.getByRole('heading', { name: 'かえで事業所', level: 1 })).toBeVisible();

    await page.reload();
    await expect(page.getByRole('row', { name: new RegExp(managerEmail) })).toContainText('登録済み');
    await expect(page.getByRole('row', { name: /佐藤 次郎/ })).toContainText('マネージャー');
    await context.close();
  });

  test('a forgotten password is reset through the mailed link', async ({ page }) => {
    const email = uniqueEmail('forgot');
    await signUpAndVerify(page, email);
    await openPage(page, '/login');
    await page.getByRole('link', { name: 'パスワードをお忘れの方' }).click();
    await expect(page).toHaveURL(/\/forgot-password$/);
    await page.getByLabel('メールアドレス').fill(email);
    await page.getByRole('button', { name: '再設定のメールを送る' }).click();
    await expect(page.getByRole('status')).toContainText('ご登録のメールアドレスであれば、パスワード再設定のご案内を送信しました');

    const mail = await lastMailTo(email, '【けいかくん】パスワードリセットのリクエスト');
    await openPage(page, linkIn(mail, '/reset-password'));
    const newPassword = 'Nw7$Tq4!Zr';
    await page.getByLabel('新しいパスワード', { exact: true }).fill(PASSWORD);
    await page.getByLabel('新しいパスワード（確認）').fill(PASSWORD);
    await page.getByRole('button', { name: 'パスワードを変更する' }).click();
    await expect(page.locator('#f-password-error')).toHaveText('最近使ったパスワードは使用できません。別のパスワードを入力してください');
    await page.getByLabel('新しいパスワード', { exact: true }).fill(newPassword);
    await page.getByLabel('新しいパスワード（確認）').fill(newPassword);
    await page.getByRole('button', { name: 'パスワードを変更する' }).click();
    await expect(page.getByText('パスワードを変更しました。新しいパスワードでログインしてください')).toBeVisible();
    await expectNoViolations(page);

    await openPage(page, '/login');
    await page.getByLabel('メールアドレス').fill(email);
    await page.getByLabel('パスワード').fill(newPassword);
    await page.getByRole('button', { name: 'ログイン' }).click();
    await expect(page).toHaveURL(/\/setup\/office$/);
  });

  test('the security page changes the password and lists the devices', async ({ page }) => {
    const email = uniqueEmail('security');
    await signUpAndVerify(page, email);
    await logIn(page, email);
    await setUpOffice(page, 'つばき事業所');
    await openPage(page, '/settings/security');
    await expect(page.getByRole('table', { name: 'ログイン中の端末' }).getByText('この端末')).toBeVisible();
    await page.getByLabel('現在のパスワード', { exact: true }).fill(PASSWORD);
    await page.getByLabel('新しいパスワード', { exact: true }).fill('Nw7$Tq4!Zr');
    await page.getByLabel('新しいパスワード（確認）').fill('Nw7$Tq4!Zr');
    await page.getByRole('button', { name: 'パスワードを変更する' }).click();
    await expect(page.getByText('パスワードを変更しました。ほかの端末ではログアウトされました。')).toBeVisible();
    await expectNoViolations(page);
  });

  test('an owner edits the office, reads the audit log and edits the profile', async ({ page }) => {
    const email = uniqueEmail('office');
    await signUpAndVerify(page, email);
    await logIn(page, email);
    await setUpOffice(page, 'もみじ事業所');
    await page.getByRole('link', { name: '事業所の設定' }).click();
    await expect(page.getByRole('heading', { name: '事業所の設定', level: 1 })).toBeVisible();
    await expect(page.getByLabel('事業所名', { exact: true })).toHaveValue('もみじ事業所');
    await page.getByLabel('所在地').fill('東京都千代田区1-1');
    await page.getByLabel('電話番号').fill('０３－１２３４－５６７８');
    await page.getByRole('button', { name: '保存する' }).click();
    await expect(page.getByText('事業所情報を保存しました。職員にお知らせを送りました。')).toBeVisible();
    const log = page.getByRole('table', { name: '操作履歴' });
    await page.reload();
    await expect(log.getByRole('row').filter({ hasText: '事業所情報の変更' })).toContainText('変更した項目');
    await page.getByLabel('種類').selectOption({ label: '事業所' });
    await expect(log.getByRole('row').filter({ hasText: '事業所の登録' })).toBeVisible();
    await page.getByLabel('種類').selectOption({ label: '招待' });
    await expect(page.getByText('0件中')).toBeVisible();
    await expect(log.getByText('事業所情報の変更')).toHaveCount(0);
    await expectNoViolations(page);

    await page.getByRole('link', { name: 'プロフィール' }).click();
    await expect(page.getByLabel('名', { exact: true })).toHaveValue('花子');
    await page.getByLabel('名', { exact: true }).fill('花');
    await page.getByRole('button', { name: '保存する' }).click();
    await expect(page.getByText('保存しました。')).toBeVisible();
    await expectNoViolations(page);
  });
});

test.describe('without JavaScript', () => {
  test('account pages say JavaScript is needed instead of showing a form that cannot work @nojs-only', async ({ page }) => {
    for (const path of ['/login', '/signup', '/forgot-password', '/app-admin/login']) {
      await openPage(page, path, { hydrated: false });
      await expect(page.getByText('この画面を使うには、ブラウザの JavaScript を有効にしてください。')).toBeVisible();
      await expect(page.getByLabel('メールアドレス')).toBeHidden();
    }
  });

  test('the message stays hidden when JavaScript runs', async ({ page }) => {
    await openPage(page, '/login');
    await expect(page.getByText('この画面を使うには、ブラウザの JavaScript を有効にしてください。')).toBeHidden();
    await expect(page.getByLabel('メールアドレス')).toBeVisible();
  });
});
