import { expect, test } from './support/fixtures';
import { enableMfa, expectNoViolations, inviteAndJoin, logIn, setUpOffice, signUpAndVerify } from './support/accounts';
import { openPage } from './support/app';
import { uniqueEmail } from './support/mail';

test.describe('approvals', () => {
  test('an employee’s edit waits for approval and appears after the manager approves', async ({ page, browser }) => {
    // Two accounts, MFA for both, the wizard and the approval: three times the usual limit.
    test.slow();
    const ownerEmail = uniqueEmail('approver');
    await signUpAndVerify(page, ownerEmail);
    await logIn(page, ownerEmail);
    await setUpOffice(page, 'すみれ事業所');
    await enableMfa(page);

    const csrf = await page.locator('meta[name="csrf-token"]').getAttribute('content');
    const saved = await page.evaluate(async (token) => {
      const input = {
        last_name: '中村', first_name: '陽介', last_name_kana: 'なかむら', first_name_kana: 'ようすけ',
        birth_date: '1988-08-08', gender: 'male', service_type: 'life_care', contract_date: '2026-04-01',
        address: '東京都練馬区1-1', form_of_residence: 'home_alone', means_of_transportation: 'walk',
        tel: '03-5555-6666', disability_or_disease_name: '自閉症', livelihood_protection: 'not_receiving',
        emergency_contacts: [{ last_name: '中村', first_name: '恵子', last_name_kana: 'なかむら',
          first_name_kana: 'けいこ', relationship: '母', tel: '090-3333-4444' }],
      };
      const r = await fetch('/api/recipients/create', {
        method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': token! },
        body: JSON.stringify({ input }),
      });
      return r.json();
    }, csrf);
    expect(saved.outcome).toBe('saved');

    const employee = await inviteAndJoin(page, browser, uniqueEmail('employee'), '従業員', 'すみれ事業所');
    await enableMfa(employee);

    // The employee edits through the same wizard; saving sends a request instead.
    await openPage(employee, `/recipients/${saved.id}`);
    await employee.getByRole('link', { name: '編集を申請する' }).click();
    await expect(employee.getByRole('heading', { name: '利用者情報の変更申請' })).toBeVisible();
    await employee.getByRole('button', { name: '次へ' }).click();
    await employee.getByLabel('住所').fill('東京都板橋区2-2');
    for (const heading of ['緊急連絡先', '障害・疾患情報', '手帳・年金詳細']) {
      await employee.getByRole('button', { name: '次へ' }).click();
      await expect(employee.getByRole('heading', { name: heading })).toBeVisible();
    }
    await employee.getByLabel('申請理由（任意・500文字以内）').fill('転居の連絡がありました');
    await expectNoViolations(employee);
    await employee.getByRole('button', { name: '申請する' }).click();
    await expect(employee.getByRole('heading', { name: '利用者情報の変更の申請' })).toBeVisible();
    await expect(employee.locator('dl.summary')).toContainText('承認待ち');
    await expectNoViolations(employee);
    // Nothing has changed yet.
    await openPage(employee, `/recipients/${saved.id}`);
    await expect(employee.getByText('東京都練馬区1-1')).toBeVisible();

    // The owner's bell shows the request; the notice leads to the diff.
    await openPage(page, '/home');
    // The employee's acceptance of the invitation, and the request.
    await expect(page.locator('.notice-bell__count')).toHaveText('2');
    await page.getByRole('link', { name: /お知らせ/ }).click();
    await expect(page.getByRole('heading', { name: 'お知らせ' })).toBeVisible();
    await expectNoViolations(page);
    await page.getByRole('link', { name: '田中 健さんが利用者中村 陽介さんの情報変更を申請しました' }).click();
    await expect(page.getByRole('heading', { name: '利用者情報の変更の申請' })).toBeVisible();
    const row = page.getByRole('row', { name: /住所/ });
    await expect(row).toContainText('東京都練馬区1-1');
    await expect(row).toContainText('東京都板橋区2-2');
    await expect(page.locator('dl.summary')).toContainText('転居の連絡がありました');
    await expectNoViolations(page);
    await page.getByRole('button', { name: '承認する' }).click();
    await expect(page.locator('dl.summary')).toContainText('承認済み');

    await openPage(page, `/recipients/${saved.id}`);
    await expect(page.getByText('東京都板橋区2-2')).toBeVisible();
    await openPage(employee, '/notices');
    await expect(employee.getByRole('link', { name: '利用者中村 陽介さんの情報変更の申請が承認されました' })).toBeVisible();
    await openPage(employee, '/approvals');
    await expect(employee.getByRole('row', { name: /中村 陽介/ })).toContainText('承認済み');
    await expectNoViolations(employee);
    await employee.context().close();
  });
});
