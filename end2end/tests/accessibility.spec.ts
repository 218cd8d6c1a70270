import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures';
import { PAGES, openPage } from './support/app';

async function expectNoViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(summary).toEqual([]);
}

test.describe('accessibility (axe)', () => {
  for (const { path } of PAGES) {
    test(`${path} has no violations`, async ({ page }) => {
      await openPage(page, path, { hydrated: path !== '/offline.html' });
      await expectNoViolations(page);
    });

    // axe needs JavaScript, so the no-JavaScript page is checked by withholding the app bundle:
    // what remains is exactly the server-rendered markup.
    test(`${path} as rendered by the server has no violations`, async ({ page }) => {
      await page.route('**/pkg/*.js', (route) => route.abort());
      await page.goto(path);
      await expect(page.locator('body')).not.toHaveAttribute('data-hydrated', 'true');
      await expectNoViolations(page);
    });
  }

  test('the preview with errors and with a result has no violations', async ({ page }) => {
    await openPage(page, '/');
    await page.getByRole('button', { name: '計算する' }).click();
    await expect(page.locator('#preview-delivered-error')).not.toBeEmpty();
    await expectNoViolations(page);
    await page.getByLabel('交付日').fill('2025-08-31');
    await expect(page.getByTestId('valid-until')).toBeVisible();
    await expectNoViolations(page);
  });

  test('the phone layout has no violations', async ({ page }) => {
    await page.setViewportSize({ width: 320, height: 640 });
    await openPage(page, '/');
    await expectNoViolations(page);
  });
});
