import { expect, test } from './support/fixtures';
import { formatJst, openPage } from './support/app';

const STATUS_URL = '**/api/health/status*';

test.describe('service status (server-function round trip)', () => {
  test('re-checking calls the server function and shows the database time', async ({ page }) => {
    await openPage(page, '/');
    const status = page.locator('#status');
    await expect(status).toContainText('正常に稼働しています');

    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/api/health/status')),
      status.getByRole('button', { name: '再確認する' }).click(),
    ]);
    expect(response.status()).toBe(200);
    expect(response.request().method()).toBe('GET');
    const body = await response.json();
    expect(Object.keys(body)).toEqual(['database_time']);
    await expect(status).toContainText(`確認時刻: ${formatJst(body.database_time)}`);
  });

  test('a network failure shows a Japanese message', async ({ page }) => {
    await openPage(page, '/');
    await page.route(STATUS_URL, (route) => route.abort('internetdisconnected'));
    await page.locator('#status').getByRole('button', { name: '再確認する' }).click();
    await expect(page.locator('#status').getByRole('alert')).toHaveText(
      'サーバーに接続できませんでした。通信環境をご確認のうえ、再度お試しください',
    );
  });

  test('a typed server error shows its message and inquiry number', async ({ page }) => {
    await openPage(page, '/');
    await page.route(STATUS_URL, (route) =>
      route.fulfill({
        status: 500,
        headers: { 'content-type': 'application/json', serverfnerror: '/api/health/status' },
        body: JSON.stringify({
          code: 'INTERNAL',
          message_ja: 'エラーが発生しました。時間をおいて再度お試しください',
          correlation_id: 'c0ffee00-0000-4000-8000-000000000000',
        }),
      }),
    );
    await page.locator('#status').getByRole('button', { name: '再確認する' }).click();
    await expect(page.locator('#status').getByRole('alert')).toHaveText(
      'エラーが発生しました。時間をおいて再度お試しください（お問い合わせ番号: c0ffee00-0000-4000-8000-000000000000）',
    );
  });

  test('the endpoint answers typed errors for unknown URLs', async ({ request }) => {
    const response = await request.get('/api/health/nope');
    expect(response.status()).toBe(404);
    expect(await response.json()).toEqual({ code: 'NOT_FOUND', message_ja: '対象のデータが見つかりません' });
  });
});
