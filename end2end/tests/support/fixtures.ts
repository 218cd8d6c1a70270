import { test as base } from '@playwright/test';

export { expect } from '@playwright/test';

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
});
