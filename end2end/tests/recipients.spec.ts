import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures';
import { enableMfa, expectNoViolations, logIn, setUpOffice, signUpAndVerify } from './support/accounts';
import { openPage } from './support/app';
import { uniqueEmail } from './support/mail';

/** Presses 次へ and expects the step heading. */
async function next(page: Page, heading: string) {
  await page.getByRole('button', { name: '次へ' }).click();
  await expect(page.getByRole('heading', { name: heading })).toBeVisible();
  await expect(page.getByRole('heading', { name: heading })).toBeFocused();
}

test.describe('recipients', () => {
  test('a manager registers a recipient through five steps, fixing one mistake per step, and finds them', async ({ page, browser }) => {
    // A long flow (signup, MFA, five steps, search, archive): three times the usual time limit.
    test.slow();
    const email = uniqueEmail('recipients');
    await signUpAndVerify(page, email);
    await logIn(page, email);
    await setUpOffice(page, 'わかば事業所');
    await enableMfa(page);

    await openPage(page, '/recipients');
    await expect(page.getByText('該当する利用者はいません。')).toBeVisible();
    await page.getByRole('link', { name: '利用者を登録する' }).click();
    await expect(page.getByRole('heading', { name: 'ステップ1／5 基本情報' })).toBeVisible();
    await expectNoViolations(page);

    // Step 1: a birth date in the future is refused beside the field, then corrected.
    await page.getByLabel('姓', { exact: true }).fill('鈴木');
    await page.getByLabel('名', { exact: true }).fill('一郎');
    // Leaving with unsaved input asks first; staying keeps it.
    page.once('dialog', async (dialog) => {
      expect(dialog.message()).toContain('保存していない変更があります');
      await dialog.dismiss();
    });
    await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '利用者一覧' }).click();
    await expect(page).toHaveURL(/\/recipients\/new$/);
    await expect(page.getByLabel('名', { exact: true })).toHaveValue('一郎');
    await page.getByLabel('姓（ふりがな）').fill('スズキ');
    await page.getByLabel('名（ふりがな）').fill('いちろう');
    await page.getByLabel('生年月日').fill('2999-01-01');
    await page.getByLabel('性別').selectOption({ label: '男性' });
    await page.getByLabel('利用契約日').fill('2026-04-01');
    await expect(page.locator('#f-birth_date-error')).toHaveText('生年月日は1900年1月1日から今日までの日付を入力してください');
    await page.getByRole('button', { name: '次へ' }).click();
    await expect(page.getByLabel('生年月日')).toBeFocused();
    await page.getByLabel('生年月日').fill('1985-06-15');
    await expect(page.locator('#f-birth_date-error')).toBeEmpty();
    await next(page, 'ステップ2／5 連絡先・住所情報');

    // Step 2: a phone number with too few digits.
    await page.getByLabel('住所').fill('東京都新宿区西新宿2-8-1');
    await page.getByLabel('居住形態').selectOption({ label: 'グループホーム' });
    await page.getByLabel('交通手段').selectOption({ label: '徒歩' });
    await page.getByLabel('電話番号').fill('03-1234');
    await page.getByRole('button', { name: '次へ' }).click();
    await expect(page.locator('#f-tel-error')).toContainText('10〜11桁');
    await page.getByLabel('電話番号').fill('０３－１２３４－５６７８');
    await next(page, 'ステップ3／5 緊急連絡先');

    // Step 3: 続柄 その他 needs its text.
    await page.getByLabel('姓', { exact: true }).fill('鈴木');
    await page.getByLabel('名', { exact: true }).fill('花子');
    await page.getByLabel('姓（ふりがな）').fill('すずき');
    await page.getByLabel('名（ふりがな）').fill('はなこ');
    await page.getByLabel('続柄・関係性').selectOption({ label: 'その他' });
    await page.getByLabel('電話番号').fill('090-1111-2222');
    await page.getByRole('button', { name: '次へ' }).click();
    await expect(page.locator('[id="f-emergency_contacts.0.relationship_other_text-error"]')).toHaveText('「その他」の内容を入力してください');
    await page.getByLabel('続柄（その他の内容）').fill('後見人');
    await next(page, 'ステップ4／5 障害・疾患情報');

    // Step 4: the disease name is required.
    await page.getByLabel('生活保護受給状況').selectOption({ label: 'なし' });
    await page.getByRole('button', { name: '次へ' }).click();
    await expect(page.locator('#f-disability_or_disease_name-error')).toHaveText('入力してください');
    await page.getByLabel('障害または疾患名').fill('知的障害');
    await next(page, 'ステップ5／5 手帳・年金詳細');
    await expectNoViolations(page);

    // Step 5: an acquired handbook needs its grade (the options follow the category).
    await page.getByRole('button', { name: '+ 手帳・年金情報を追加' }).click();
    await page.getByLabel('種別').selectOption({ label: '療育手帳' });
    await page.getByLabel('申請状況').selectOption({ label: '取得済み' });
    await page.getByRole('button', { name: '登録する' }).click();
    await expect(page.locator('[id="f-disability_details.0.grade-error"]')).toHaveText('取得済みの場合は等級を選択してください');
    await page.getByLabel('等級').selectOption({ label: 'B1（中度）' });

    // Going back keeps everything typed.
    await page.getByRole('button', { name: '戻る' }).click();
    await expect(page.getByLabel('障害または疾患名')).toHaveValue('知的障害');
    await next(page, 'ステップ5／5 手帳・年金詳細');
    await expect(page.getByLabel('等級')).toHaveValue('B1');
    await page.getByRole('button', { name: '登録する' }).click();

    await expect(page.getByRole('heading', { name: '鈴木 一郎 さん' })).toBeVisible();
    await expect(page.getByText('すずき いちろう')).toBeVisible();
    await expect(page.getByText('03-1234-5678')).toBeVisible();
    await expect(page.getByText('療育手帳 ／ B1（中度） ／ 取得済み')).toBeVisible();
    await expectNoViolations(page);

    // Found by furigana, in katakana.
    await openPage(page, '/recipients');
    await page.getByLabel('氏名・ふりがな').fill('スズキ　イチ');
    await page.getByRole('button', { name: '検索' }).click();
    await expect(page).toHaveURL(/q=/);
    await expect(page.getByRole('row', { name: /鈴木 一郎/ })).toContainText('41歳');
    await expectNoViolations(page);

    // Without JavaScript the list, its search and the detail page still read (same session).
    const nojs = await browser.newContext({ javaScriptEnabled: false, storageState: await page.context().storageState() });
    const plain = await nojs.newPage();
    await plain.goto(new URL('/recipients?q=%E3%81%84%E3%81%A1%E3%82%8D%E3%81%86', page.url()).toString());
    await plain.getByRole('link', { name: '鈴木 一郎' }).click();
    await expect(plain.getByRole('heading', { name: '鈴木 一郎 さん' })).toBeVisible();
    await expect(plain.getByText('東京都新宿区西新宿2-8-1')).toBeVisible();
    await nojs.close();

    // 利用終了, then back to 利用中.
    await page.getByRole('link', { name: '鈴木 一郎' }).click();
    await page.getByRole('button', { name: '利用終了にする' }).click();
    await page.getByLabel('利用終了日').fill('2026-11-30');
    await page.getByLabel('終了の理由').selectOption({ label: 'その他' });
    await page.locator('form').getByRole('button', { name: '利用終了にする' }).click();
    await expect(page.locator('[id="f-end_reason_text-error"]')).toHaveText('「その他」の内容を入力してください');
    await page.getByLabel('終了の理由（その他の内容）').fill('家族の転勤');
    await page.locator('form').getByRole('button', { name: '利用終了にする' }).click();
    await expect(page.locator('.status-line')).toContainText('利用終了');
    await expectNoViolations(page);
    await page.getByRole('button', { name: '利用中に戻す' }).click();
    await expect(page.locator('.status-line')).toContainText('利用中');
    // The history lists every change, newest first (loaded on request).
    await page.getByRole('button', { name: '変更履歴を表示する' }).click();
    const history = page.getByRole('table', { name: '履歴' });
    await expect(history.getByRole('row').nth(1)).toContainText('利用者を元に戻す');
    await expect(history.getByRole('row').filter({ hasText: '利用者の利用終了' })).toContainText('終了の理由: その他');
    await expect(history.getByRole('row').filter({ hasText: '利用者の登録' })).toBeVisible();
  });
});

test.describe('editing', () => {
  test('every section is saved, and a save over someone else’s shows what they changed', async ({ page }) => {
    const email = uniqueEmail('editor');
    await signUpAndVerify(page, email);
    await logIn(page, email);
    await setUpOffice(page, 'あおば事業所');
    await enableMfa(page);

    // Registered through the API the pages use (the wizard itself is covered above).
    const csrf = await page.locator('meta[name="csrf-token"]').getAttribute('content');
    const saved = await page.evaluate(async (token) => {
      const input = {
        last_name: '高橋', first_name: '優子', last_name_kana: 'たかはし', first_name_kana: 'ゆうこ',
        birth_date: '1992-02-02', gender: 'female', service_type: 'life_care', contract_date: '2026-04-01',
        address: '東京都中野区1-1', form_of_residence: 'home_alone', means_of_transportation: 'walk',
        tel: '03-5555-6666', disability_or_disease_name: 'うつ病', livelihood_protection: 'applying',
        emergency_contacts: [{ last_name: '高橋', first_name: '明美', last_name_kana: 'たかはし',
          first_name_kana: 'あけみ', relationship: '母', tel: '090-3333-4444' }],
      };
      const r = await fetch('/api/recipients/create', {
        method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': token! },
        body: JSON.stringify({ input, confirm_duplicate: false }),
      });
      return r.json();
    }, csrf);
    expect(saved.outcome).toBe('saved');

    // Two tabs open the edit form of the same version.
    await openPage(page, `/recipients/${saved.id}/edit`);
    const other = await page.context().newPage();
    await openPage(other, `/recipients/${saved.id}/edit`);

    await other.getByRole('button', { name: '次へ' }).click();
    await other.getByLabel('住所').fill('東京都杉並区2-2');
    for (const heading of ['緊急連絡先', '障害・疾患情報', '手帳・年金詳細']) {
      await other.getByRole('button', { name: '次へ' }).click();
      await expect(other.getByRole('heading', { name: heading })).toBeVisible();
    }
    await other.getByRole('button', { name: '保存する' }).click();
    await expect(other.getByRole('heading', { name: '高橋 優子 さん' })).toBeVisible();
    await expect(other.getByText('東京都杉並区2-2')).toBeVisible();

    await page.getByRole('button', { name: '次へ' }).click();
    await page.getByLabel('電話番号').fill('03-7777-8888');
    for (const heading of ['緊急連絡先', '障害・疾患情報', '手帳・年金詳細']) {
      await page.getByRole('button', { name: '次へ' }).click();
      await expect(page.getByRole('heading', { name: heading })).toBeVisible();
    }
    await page.getByRole('button', { name: '保存する' }).click();
    await expect(page.getByText('他の職員がこの利用者の情報を先に更新しました。')).toBeVisible();
    await expect(page.getByText('更新された項目: 住所')).toBeVisible();
    await expectNoViolations(page);
  });
});

test.describe('keyboard', () => {
  test('the wizard is filled and its list steps are edited with the keyboard alone', async ({ page }) => {
    const email = uniqueEmail('keyboard');
    await signUpAndVerify(page, email);
    await logIn(page, email);
    await setUpOffice(page, 'ひかり事業所');
    await enableMfa(page);
    await openPage(page, '/recipients/new');

    const field = (label: string) => page.getByLabel(label, { exact: true });
    // Tab until `label` has the focus (a date input has several stops inside it).
    const tabTo = async (label: string) => {
      for (let i = 0; i < 6 && !(await field(label).evaluate((e) => e === document.activeElement)); i++) {
        await page.keyboard.press('Tab');
      }
      await expect(field(label)).toBeFocused();
    };
    await field('姓').focus();
    await page.keyboard.type('鈴木');
    await page.keyboard.press('Tab');
    await expect(field('名')).toBeFocused();
    await page.keyboard.type('一郎');
    await page.keyboard.press('Tab');
    await expect(field('姓（ふりがな）')).toBeFocused();
    await page.keyboard.type('すずき');
    await page.keyboard.press('Tab');
    await page.keyboard.type('いちろう');
    await page.keyboard.press('Tab');
    await expect(field('生年月日')).toBeFocused();
    // A date input takes its parts as typed digits (month, day, year in this browser).
    await page.keyboard.type('06151985');
    await expect(field('生年月日')).toHaveValue('1985-06-15');
    await tabTo('性別');
    await page.keyboard.press('ArrowDown');
    await expect(field('性別')).toHaveValue('male');
    await tabTo('サービス種別');
    await tabTo('利用契約日');
    await page.keyboard.type('04012026');
    // Enter sends the step; the next step's heading takes the focus.
    await page.keyboard.press('Enter');
    const heading = page.getByRole('heading', { name: 'ステップ2／5 連絡先・住所情報' });
    await expect(heading).toBeFocused();
    await tabTo('郵便番号');

    // Step 3: adding and removing an emergency contact from the keyboard keeps the focus in
    // the form (on the new entry's first field; back on 「追加」 after removing).
    await field('住所').fill('東京都新宿区西新宿2-8-1');
    await field('居住形態').selectOption({ label: 'グループホーム' });
    await field('交通手段').selectOption({ label: '徒歩' });
    await field('電話番号').fill('03-1234-5678');
    await field('電話番号').press('Enter');
    await expect(page.getByRole('heading', { name: 'ステップ3／5 緊急連絡先' })).toBeFocused();
    const add = page.getByRole('button', { name: '+ 緊急連絡先を追加' });
    await add.focus();
    await page.keyboard.press('Enter');
    await expect(page.locator('[id="f-emergency_contacts.1.last_name"]')).toBeFocused();
    await expect(page.getByRole('group', { name: /緊急連絡先2/ })).toBeVisible();
    await page.getByRole('button', { name: '緊急連絡先2を削除' }).focus();
    await page.keyboard.press('Space');
    await expect(add).toBeFocused();
    await expect(page.getByRole('group', { name: /緊急連絡先2/ })).toHaveCount(0);
  });
});
