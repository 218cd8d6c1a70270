import { expect, test } from './support/fixtures';
import { openPage } from './support/app';

test.describe('landing page', () => {
  test('renders fully on the server, without JavaScript too @nojs', async ({ page, javaScriptEnabled }) => {
    const response = await openPage(page, '/', { hydrated: javaScriptEnabled });
    expect(response?.status()).toBe(200);
    await expect(page).toHaveTitle('けいかくん');
    await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('個別支援計画の期限を、もう見落とさない。');
    await expect(page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link')).toHaveText([
      'できること',
      '期限の試算',
      '稼働状況',
      'ログイン',
      '新規登録',
    ]);
    await expect(page.locator('#features li')).toHaveCount(5);
    // The status was fetched from the database while rendering.
    await expect(page.locator('#status')).toContainText('正常に稼働しています');
    await expect(page.getByLabel('交付日')).toBeVisible();
    await expect(page.getByRole('contentinfo')).toContainText('けいかくん');
  });

  test('hydrates and marks the body', async ({ page }) => {
    await openPage(page, '/');
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  });

  test('navigation links lead to sections that exist', async ({ page }) => {
    await openPage(page, '/');
    for (const [name, id] of [
      ['できること', 'features'],
      ['期限の試算', 'preview'],
      ['稼働状況', 'status'],
    ]) {
      await page.getByRole('navigation').getByRole('link', { name }).click();
      await expect(page).toHaveURL(new RegExp(`#${id}$`));
      await expect(page.locator(`#${id}`)).toBeInViewport();
    }
  });

  test('skip link moves focus to the main content', async ({ page }) => {
    await openPage(page, '/');
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: '本文へ移動' });
    await expect(skip).toBeFocused();
    await expect(skip).toBeInViewport();
    await page.keyboard.press('Enter');
    await expect(page.locator('main')).toBeFocused();
  });

  test('fits a 320 px wide phone without sideways scrolling @nojs', async ({ page, javaScriptEnabled }) => {
    await page.setViewportSize({ width: 320, height: 640 });
    await openPage(page, '/', { hydrated: javaScriptEnabled });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
