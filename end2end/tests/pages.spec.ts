import { expect, test } from './support/fixtures';
import { PAGES, openPage } from './support/app';

test.describe('every page', () => {
  test('unknown URLs get the Japanese 404 page @nojs', async ({ page, javaScriptEnabled }) => {
    const response = await openPage(page, '/no-such-page', { hydrated: javaScriptEnabled });
    expect(response?.status()).toBe(404);
    await expect(page).toHaveTitle('ページが見つかりません｜けいかくん');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('お探しのページが見つかりません');
    await page.getByRole('link', { name: 'トップページへ戻る' }).click();
    await expect(page).toHaveURL(/\/$/);
  });

  for (const { path, title } of PAGES) {
    test(`${path} loads without console errors or failed requests`, async ({ page }) => {
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') {
          // Chromium reports the 404 page's own status as a failed resource; that one is expected.
          if (!(path === '/no-such-page' && message.text().includes('status of 404'))) {
            problems.push(`${message.type()}: ${message.text()}`);
          }
        }
      });
      page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
      page.on('requestfailed', (request) => problems.push(`failed: ${request.url()}`));
      page.on('response', (response) => {
        if (response.status() >= 400 && new URL(response.url()).pathname !== path) {
          problems.push(`${response.status()}: ${response.url()}`);
        }
      });
      await openPage(page, path, { hydrated: path !== '/offline.html' });
      await expect(page).toHaveTitle(title);
      await page.waitForLoadState('networkidle');
      expect(problems).toEqual([]);
    });
  }
});
