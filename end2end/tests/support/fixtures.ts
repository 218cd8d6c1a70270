import { expect, test as base } from '@playwright/test';

export { expect };

/**
 * Every test browses from its own client address. The e2e server trusts one proxy hop
 * (`KK_TRUSTED_PROXY_HOPS=1`), as a deployment behind a load balancer does, so the per-IP login
 * limit (10 per minute, SPEC §2.9) counts each test separately instead of the whole suite.
 */
export const test = base.extend({
  extraHTTPHeaders: async ({}, use, testInfo) => {
    let hash = 0;
    for (const c of testInfo.testId) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
    const address = `198.18.${hash % 250}.${(hash >> 8) % 250 + 1}`;
    await use({ 'X-Forwarded-For': address });
  },
  /** A panic in the WASM half (a hydration mismatch, say) fails the test that caused it. */
  page: async ({ page }, use) => {
    const panics: string[] = [];
    page.context().on('console', (message) => {
      if (message.type() === 'error' && message.text().includes('panicked')) {
        panics.push(`${message.page()?.url()}: ${message.text().split('\n')[0]}`);
      }
    });
    await use(page);
    expect(panics, 'panics in the browser').toEqual([]);
  },
});
