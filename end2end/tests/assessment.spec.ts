import { expect, test } from './support/fixtures';
import { enableMfa, expectNoViolations, logIn, setUpOffice, signUpAndVerify } from './support/accounts';
import { openPage } from './support/app';
import { uniqueEmail } from './support/mail';

test.describe('assessment', () => {
  test('sections are entered in their own forms, checked beside the field, edited and deleted', async ({ page }) => {
    test.slow();
    const email = uniqueEmail('assessment');
    await signUpAndVerify(page, email);
    await logIn(page, email);
    await setUpOffice(page, 'つばき事業所');
    await enableMfa(page);
    const csrf = await page.locator('meta[name="csrf-token"]').getAttribute('content');
    const saved = await page.evaluate(async (token) => {
      const input = {
        last_name: '小林', first_name: '誠', last_name_kana: 'こばやし', first_name_kana: 'まこと',
        birth_date: '1995-05-05', gender: 'male', service_type: 'life_care', contract_date: '2026-04-01',
        address: '東京都北区1-1', form_of_residence: 'home_alone', means_of_transportation: 'walk',
        tel: '03-5555-6666', disability_or_disease_name: '知的障害', livelihood_protection: 'not_receiving',
        emergency_contacts: [{ last_name: '小林', first_name: '幸子', last_name_kana: 'こばやし',
          first_name_kana: 'さちこ', relationship: '母', tel: '090-3333-4444' }],
      };
      const r = await fetch('/api/recipients/create', {
        method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': token! },
        body: JSON.stringify({ input }),
      });
      return r.json();
    }, csrf);

    await openPage(page, `/recipients/${saved.id}`);
    await page.getByRole('link', { name: 'アセスメントを見る・入力する' }).click();
    await expect(page.getByRole('heading', { name: '小林 誠 さんのアセスメント' })).toBeVisible();
    await expectNoViolations(page);

    // 家族構成: a missing required value is shown beside its field, then fixed.
    await page.getByRole('button', { name: '＋ 家族構成を追加' }).click();
    await page.getByLabel('氏名').fill('小林 幸子');
    await page.getByLabel('続柄').fill('母');
    await page.getByRole('button', { name: '保存する' }).click();
    await expect(page.locator('#f-household-error')).toHaveText('選択してください');
    await expect(page.locator('#f-ones_health-error')).toHaveText('入力してください');
    await page.getByLabel('同じ').check();
    await page.getByLabel('健康状態').fill('良好');
    await expectNoViolations(page);
    await page.getByRole('button', { name: '保存する' }).click();
    const family = page.getByRole('region', { name: /家族構成/ });
    await expect(family).toContainText('小林 幸子');
    await expect(family).toContainText('（1件）');

    // 医療の基本事項: 「その他」 needs its detail.
    await page.getByRole('button', { name: '医療の基本事項を入力する' }).click();
    await page.getByLabel('医療保険の種類').selectOption({ label: 'その他' });
    await page.getByLabel('公費負担').selectOption({ label: 'なし' });
    await page.getByRole('button', { name: '保存する' }).click();
    await expect(page.locator('#f-medical_care_insurance_other_text-error')).toHaveText('医療保険が「その他」の場合は詳細を入力してください');
    await page.getByLabel('その他の詳細').fill('国保組合');
    await page.getByRole('button', { name: '保存する' }).click();
    const medical = page.getByRole('region', { name: '医療の基本事項' });
    await expect(medical).toContainText('国保組合');
    await expect(page.getByRole('button', { name: '医療の基本事項を入力する' })).toHaveCount(0);

    // 就労関係: 就労経験なし needs one of the items below it.
    await page.getByRole('button', { name: '就労関係を入力する' }).click();
    await page.getByLabel('就労状況').selectOption({ label: '就労継続支援B' });
    await page.getByLabel('就労経験なし').check();
    await page.getByLabel('未定').check();
    await page.getByRole('button', { name: '保存する' }).click();
    await expect(page.locator('#f-no_employment_experience-error')).toHaveText('就労経験なしを選んだ場合は、下の項目から1つ以上選択してください');
    await page.getByLabel('就労アセスメントを受けた').check();
    await expectNoViolations(page);
    await page.getByRole('button', { name: '保存する' }).click();
    await expect(page.getByRole('region', { name: '就労関係' })).toContainText('就労アセスメントを受けた');

    // Edit, then delete the family entry.
    await family.getByRole('button', { name: '編集' }).click();
    await page.getByLabel('健康状態').fill('通院中');
    await page.getByRole('button', { name: '保存する' }).click();
    await expect(family).toContainText('通院中');
    await family.getByRole('button', { name: '削除' }).click();
    await family.getByRole('button', { name: '削除する' }).click();
    await expect(family).toContainText('（0件）');
    await expect(family).toContainText('未入力');
  });
});
