import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './tests/support/browser';

// scripts/test builds the server and passes its path and a fresh database.
const server = process.env.KK_E2E_SERVER;
const databaseUrl = process.env.KK_E2E_DATABASE_URL;
if (!server || !databaseUrl) {
  throw new Error('Run the end-to-end tests through scripts/test (KK_E2E_SERVER and KK_E2E_DATABASE_URL are unset).');
}
const port = Number(process.env.KK_E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  forbidOnly: true,
  retries: 0,
  workers: 2,
  // Account flows span several pages and mails; on 2 busy cores some take 20–30 s.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    baseURL,
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
    launchOptions: chromiumLaunchOptions,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    // Everything, with JavaScript (tests tagged @nojs-only need it off).
    { name: 'js', grepInvert: /@nojs-only/, use: { javaScriptEnabled: true } },
    // Pages must work without JavaScript: tests tagged @nojs or @nojs-only.
    { name: 'nojs', grep: /@nojs/, use: { javaScriptEnabled: false } },
  ],
  webServer: {
    command: server,
    url: `${baseURL}/readyz`,
    reuseExistingServer: false,
    timeout: 60_000,
    gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      KK_BIND: `127.0.0.1:${port}`,
      APP_BASE_URL: baseURL,
      DATABASE_URL: databaseUrl,
      RUST_LOG: 'warn',
      SMTP_URL: process.env.KK_E2E_SMTP_URL ?? 'smtp://127.0.0.1:1125',
      KK_DATA_DIR: process.env.KK_E2E_DATA_DIR ?? '/tmp/keikakun-e2e-data',
      // Tests send X-Forwarded-For (support/fixtures.ts): one client address per test.
      KK_TRUSTED_PROXY_HOPS: '1',
    },
  },
});
