import { chromium } from '@playwright/test';
import { expect, test } from './support/fixtures';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumLaunchOptions } from './support/browser';
import { openPage } from './support/app';

test.describe('installable PWA', () => {
  test('the manifest describes an installable Japanese app', async ({ page, request }) => {
    await openPage(page, '/');
    await expect(page.locator('link[rel="manifest"]')).toHaveAttribute('href', '/manifest.webmanifest');

    const response = await request.get('/manifest.webmanifest');
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toContain('application/manifest+json');
    const manifest = await response.json();
    expect(manifest).toMatchObject({
      name: 'けいかくん - 個別支援計画の管理',
      short_name: 'けいかくん',
      lang: 'ja',
      start_url: '/',
      display: 'standalone',
    });
    const icons: { src: string; sizes: string; purpose: string }[] = manifest.icons;
    for (const [sizes, purpose] of [
      ['192x192', 'any'],
      ['512x512', 'any'],
      ['192x192', 'maskable'],
      ['512x512', 'maskable'],
    ]) {
      const icon = icons.find((i) => i.sizes === sizes && i.purpose === purpose);
      expect(icon, `${sizes} ${purpose}`).toBeTruthy();
      const image = await request.get(icon!.src);
      expect(image.status()).toBe(200);
      expect(image.headers()['content-type']).toBe('image/png');
    }
  });

  test('the app registers a service worker that controls the page', async ({ page }) => {
    await openPage(page, '/');
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    expect(scope).toBe(new URL('/', page.url()).href);
    await page.reload();
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toMatch(/\/sw\.js$/);
  });

  test('Chromium reports no installability errors', async ({ baseURL }) => {
    const profile = mkdtempSync(join(tmpdir(), 'kk-pwa-'));
    const context = await chromium.launchPersistentContext(profile, { ...chromiumLaunchOptions, baseURL });
    try {
      const page = await context.newPage();
      await openPage(page, '/');
      await page.evaluate(async () => navigator.serviceWorker.ready);
      const cdp = await context.newCDPSession(page);
      const manifest = await cdp.send('Page.getAppManifest');
      expect(manifest.errors).toEqual([]);
      const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
      expect(installabilityErrors).toEqual([]);
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });

  test('without a connection, pages fall back to the offline page', async ({ page, context }) => {
    await openPage(page, '/');
    await page.evaluate(async () => navigator.serviceWorker.ready);
    await page.reload();
    await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);

    await context.setOffline(true);
    await page.goto('/recipients');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('インターネットに接続されていません');
    // The app shell (stylesheet) still comes from the cache.
    const background = await page.locator('.site-header').evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(background).toBe('rgb(29, 92, 125)');
    await context.setOffline(false);
  });
});
