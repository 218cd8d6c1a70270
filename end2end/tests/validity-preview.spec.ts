import { expect, test } from './support/fixtures';
import { openPage } from './support/app';

// 2025-08-31 + 6 months clamps to 2026-02-28, so the plan is valid until the day before.
const SIX_MONTHS = { validUntil: '2026年2月27日（金）', monitoring: '2026年1月28日（水）まで' };
const THREE_MONTHS = { validUntil: '2025年11月29日（土）', monitoring: '2025年10月30日（木）まで' };

test.describe('plan validity preview', () => {
  test('updates as the user types, without leaving the page', async ({ page }) => {
    await openPage(page, '/');
    const url = page.url();
    await expect(page.getByText('交付日を入力すると、ここに結果が表示されます。')).toBeVisible();

    await page.getByLabel('交付日').fill('2025-08-31');
    await expect(page.getByTestId('valid-until')).toHaveText(SIX_MONTHS.validUntil);
    await expect(page.getByTestId('monitoring-due')).toContainText(SIX_MONTHS.monitoring);

    await page.getByLabel(/^3か月/).check();
    await expect(page.getByTestId('valid-until')).toHaveText(THREE_MONTHS.validUntil);
    await expect(page.getByTestId('monitoring-due')).toContainText(THREE_MONTHS.monitoring);

    await page.getByRole('button', { name: '計算する' }).click();
    expect(page.url()).toBe(url);
  });

  test('shows the error beside the field when the date is missing', async ({ page }) => {
    await openPage(page, '/');
    const date = page.getByLabel('交付日');
    await expect(date).toHaveAttribute('aria-invalid', 'false');
    await page.getByRole('button', { name: '計算する' }).click();
    await expect(page.locator('#preview-delivered-error')).toHaveText('交付日を入力してください');
    await expect(date).toHaveAttribute('aria-invalid', 'true');
    await expect(date).toHaveAccessibleDescription('交付日を入力してください');

    await date.fill('2025-08-31');
    await expect(page.locator('#preview-delivered-error')).toBeEmpty();
    await expect(date).toHaveAttribute('aria-invalid', 'false');
  });

  test('works as a plain form without JavaScript @nojs-only', async ({ page }) => {
    await openPage(page, '/', { hydrated: false });
    await page.getByLabel('交付日').fill('2025-08-31');
    await page.getByLabel(/^3か月/).check();
    await page.getByRole('button', { name: '計算する' }).click();
    await expect(page).toHaveURL(/\?delivered=2025-08-31&interval=3#preview$/);
    await expect(page.getByTestId('valid-until')).toHaveText(THREE_MONTHS.validUntil);
    // The choices survive the round trip.
    await expect(page.getByLabel('交付日')).toHaveValue('2025-08-31');
    await expect(page.getByLabel(/^3か月/)).toBeChecked();
  });

  test('the server reports a bad query with the same messages @nojs', async ({ page, javaScriptEnabled }) => {
    await openPage(page, '/?delivered=2025-02-30&interval=4', { hydrated: javaScriptEnabled });
    await expect(page.locator('#preview-delivered-error')).toHaveText('存在しない日付です');
    await expect(page.locator('#preview-interval-error')).toHaveText('見直し間隔は「3か月」か「6か月」から選んでください');
  });
});
