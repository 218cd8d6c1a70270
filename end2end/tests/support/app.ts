import { expect, type Page } from '@playwright/test';

/** Opens a page and, when JavaScript runs, waits until the app has hydrated. */
export async function openPage(page: Page, path: string, { hydrated = true } = {}) {
  const response = await page.goto(path);
  if (hydrated) {
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  }
  return response;
}

/** `2026年11月22日 14:05`: how the app shows an instant (JST), computed independently of the app. */
export function formatJst(iso: string): string {
  const jst = new Date(new Date(iso).getTime() + 9 * 60 * 60 * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${jst.getUTCFullYear()}年${jst.getUTCMonth() + 1}月${jst.getUTCDate()}日 ${pad(jst.getUTCHours())}:${pad(jst.getUTCMinutes())}`;
}

/** Pages that exist; the accessibility and console checks visit each. */
export const PAGES = [
  { path: '/', title: 'けいかくん' },
  { path: '/no-such-page', title: 'ページが見つかりません｜けいかくん' },
  { path: '/offline.html', title: 'オフラインです｜けいかくん' },
  { path: '/signup', title: '新規登録｜けいかくん' },
  { path: '/login', title: 'ログイン｜けいかくん' },
  { path: '/terms', title: '利用規約｜けいかくん' },
  { path: '/privacy', title: 'プライバシーポリシー｜けいかくん' },
];
