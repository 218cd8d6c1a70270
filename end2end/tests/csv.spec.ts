import { expect, test } from './support/fixtures';
import { enableMfa, expectNoViolations, logIn, setUpOffice, signUpAndVerify } from './support/accounts';
import { openPage } from './support/app';
import { uniqueEmail } from './support/mail';

const HEADER = '姓,名,姓（ふりがな）,名（ふりがな）,生年月日,性別,電話番号\r\n';

test.describe('csv', () => {
  test('a file with an error is refused with row and column, the fixed file is imported, and the list exports', async ({ page }) => {
    test.slow();
    const email = uniqueEmail('csv');
    await signUpAndVerify(page, email);
    await logIn(page, email);
    await setUpOffice(page, 'もみじ事業所');
    await enableMfa(page);

    await openPage(page, '/recipients');
    await page.getByRole('link', { name: 'CSVから取り込む' }).click();
    await expect(page.getByRole('heading', { name: 'CSVから取り込む' })).toBeVisible();
    await expectNoViolations(page);

    const broken = `${HEADER}木村,翔,きむら,しょう,1990/02/30,男性,03-1234-5678\r\n森,愛,もり,あい,1992-03-03,女性,\r\n`;
    await page.getByLabel('CSVファイル').setInputFiles({ name: 'recipients.csv', mimeType: 'text/csv', buffer: Buffer.from(broken) });
    await page.getByRole('button', { name: '内容を確認する' }).click();
    const errors = page.getByRole('table', { name: '誤りの一覧' });
    await expect(errors.getByRole('row').nth(1)).toContainText('2');
    await expect(errors.getByRole('row').nth(1)).toContainText('生年月日');
    await expect(page.getByRole('button', { name: /人を取り込む/ })).toHaveCount(0);
    await expectNoViolations(page);

    const fixed = broken.replace('1990/02/30', '1990/02/28');
    await page.getByLabel('CSVファイル').setInputFiles({ name: 'recipients.csv', mimeType: 'text/csv', buffer: Buffer.from(fixed) });
    await page.getByRole('button', { name: '内容を確認する' }).click();
    await page.getByRole('button', { name: '2人を取り込む' }).click();
    await expect(page.getByText('2人の利用者を登録しました。')).toBeVisible();

    await openPage(page, '/recipients?incomplete=true');
    await expect(page.getByRole('row', { name: /木村 翔/ })).toContainText('未入力項目あり');
    await openPage(page, '/recipients');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'CSVで出力' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^keikakun-recipients-\d{8}\.csv$/);
  });
});
