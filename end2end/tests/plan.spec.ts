import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures';
import { enableMfa, expectNoViolations, inviteAndJoin, logIn, setUpOffice, signUpAndVerify } from './support/accounts';
import { openPage } from './support/app';
import { uniqueEmail } from './support/mail';

/** `YYYY-MM-DD` of the JST day `days` before today. */
function daysAgo(days: number): string {
  const jst = new Date(Date.now() + 9 * 3600_000 - days * 86_400_000);
  return jst.toISOString().slice(0, 10);
}

/** `M月D日`, as the order guard names a date. */
function monthDay(iso: string): string {
  const [, m, d] = iso.split('-').map(Number);
  return `${m}月${d}日`;
}

/** A valid one-page PDF that says `text`, with a correct cross-reference table. */
function pdf(text: string): Buffer {
  const stream = `BT /F1 12 Tf 20 100 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** Registers a recipient through the API as the signed-in page; returns its id. */
async function createRecipient(page: Page, last: string, contract: string): Promise<string> {
  const answer = await page.evaluate(
    async ({ last, contract }) => {
      const token = document.querySelector('meta[name="csrf-token"]')!.getAttribute('content')!;
      const input = {
        last_name: last, first_name: '太郎', last_name_kana: 'やまだ', first_name_kana: 'たろう',
        birth_date: '1990-04-01', gender: 'male', service_type: 'life_care', contract_date: contract,
        address: '東京都新宿区西新宿1-1-1', form_of_residence: 'home_with_family',
        means_of_transportation: 'walk', tel: '03-1234-5678',
        emergency_contacts: [{ last_name: '山田', first_name: '花子', last_name_kana: 'やまだ', first_name_kana: 'はなこ', relationship: '母', tel: '090-1234-5678' }],
        disability_or_disease_name: '知的障害', livelihood_protection: 'not_receiving',
      };
      const r = await fetch('/api/recipients/create', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': token },
        body: JSON.stringify({ input, confirm_duplicate: true }),
      });
      return r.json();
    },
    { last, contract },
  );
  expect(answer.outcome, JSON.stringify(answer)).toBe('saved');
  return answer.id;
}

/** The card of a step in the open cycle tab. */
function card(page: Page, heading: string) {
  return page.locator('.cycle-panel:not(.hidden) article.step-card').filter({ has: page.getByRole('heading', { name: heading, exact: true }) });
}

/** Opens 「完了にする」 on the current step, fills what every step asks, uploads a PDF. */
async function complete(page: Page, heading: string, date: string, file: string, extra?: (dialog: ReturnType<Page['getByRole']>) => Promise<void>) {
  await card(page, heading).getByRole('button', { name: '完了にする' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByLabel(/日$/).first().fill(date);
  if (extra) await extra(dialog);
  await dialog.getByLabel('PDFファイルをここにドラッグ＆ドロップするか、クリックして選択').setInputFiles({ name: file, mimeType: 'application/pdf', buffer: pdf(file) });
  await expect(dialog.getByText(`選択中: ${file}`)).toBeVisible();
  return dialog;
}

async function submitAndClose(dialog: ReturnType<Page['getByRole']>) {
  await dialog.getByRole('button', { name: '完了にする' }).click();
  await expect(dialog).toBeHidden();
}

test.describe('support plans', () => {
  test('a manager takes a recipient through a whole cycle with five uploads, an order exception and consent', async ({ page }) => {
    test.slow();
    const email = uniqueEmail('plan');
    await signUpAndVerify(page, email);
    await logIn(page, email);
    await setUpOffice(page, 'あおば作業所');
    await enableMfa(page);
    const id = await createRecipient(page, '青山', daysAgo(120));

    await openPage(page, `/recipients/${id}/plan`);
    await expect(page.getByRole('heading', { name: '青山 太郎 さんの支援計画' })).toBeVisible();
    await expect(page.getByRole('link', { name: '第1回（最新）' })).toHaveAttribute('aria-current', 'page');
    await expect(card(page, '1. アセスメント').getByText('現在のステップ')).toBeVisible();
    await expectNoViolations(page);

    // 1. アセスメント: the interview is required before anything is sent.
    let dialog = await complete(page, '1. アセスメント', daysAgo(100), 'assessment.pdf');
    await dialog.getByRole('button', { name: '完了にする' }).click();
    await expect(dialog.locator('#f-interview_done-error')).toHaveText('アセスメントには本人との面接の記録が必要です');
    await dialog.getByLabel('本人との面接を実施した').check();
    await expectNoViolations(page);
    await submitAndClose(dialog);
    await expect(card(page, '1. アセスメント').getByText('完了', { exact: true })).toBeVisible();

    // 2. 原案 dated before the assessment: the guard warns while typing, the server blocks,
    // and a reason turns it into a 順序例外.
    dialog = await complete(page, '2. 個別支援計画書 原案', daysAgo(105), 'draft.pdf');
    const pair = `面接実施日（${monthDay(daysAgo(100))}）は原案作成日（${monthDay(daysAgo(105))}）以前である必要があります`;
    await expect(dialog.getByRole('status').filter({ hasText: pair })).toBeVisible();
    await dialog.getByRole('button', { name: '完了にする' }).click();
    await expect(dialog.locator('#f-date-error')).toHaveText(pair);
    await dialog.getByLabel('例外とする理由（10〜500文字）').fill('面接前の情報で原案を先に作成し、面接後に内容を確認したため');
    await submitAndClose(dialog);
    await expect(card(page, '2. 個別支援計画書 原案').getByText('順序例外', { exact: true })).toBeVisible();

    // 3. 担当者会議.
    dialog = await complete(page, '3. 担当者会議', daysAgo(90), 'meeting.pdf', async (d) => {
      await d.getByLabel('参加者（任意・500文字まで）').fill('青山 太郎、相談支援専門員');
    });
    await submitAndClose(dialog);

    // Consent on the draft, then 4. 本案 (同意・交付).
    const signed = card(page, '4. 個別支援計画書 本案（同意・交付）');
    await signed.getByRole('button', { name: '同意を記録' }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByLabel('同意日').fill(daysAgo(85));
    await expectNoViolations(page);
    await dialog.getByRole('button', { name: '同意を記録する' }).click();
    await expect(dialog).toBeHidden();
    await expect(signed.getByText('第1版')).toBeVisible();
    dialog = await complete(page, '4. 個別支援計画書 本案（同意・交付）', daysAgo(84), 'signed.pdf', async (d) => {
      await d.getByLabel('計画書を本人（家族）に交付した').check();
      await d.getByLabel('相談支援事業所への交付日').fill(daysAgo(84));
    });
    await submitAndClose(dialog);
    await expect(page.getByText('モニタリング期限')).toBeVisible();

    // The preview opens the PDF in the page through a short-lived link.
    await signed.getByRole('button', { name: '表示（第1版）' }).click();
    const frame = page.getByRole('dialog').locator('iframe');
    await expect(frame).toBeVisible();
    const src = (await frame.getAttribute('src'))!;
    const served = await page.request.get(src);
    expect(served.status()).toBe(200);
    expect(served.headers()['content-type']).toBe('application/pdf');
    expect((await served.body()).subarray(0, 5).toString()).toBe('%PDF-');
    await page.getByRole('dialog').getByRole('button', { name: '閉じる' }).click();

    // 5. モニタリング closes the cycle and opens the next.
    dialog = await complete(page, '5. モニタリング', daysAgo(1), 'monitoring.pdf', async (d) => {
      await d.getByLabel('本人との面接を実施した').check();
    });
    await submitAndClose(dialog);
    await expect(page.getByRole('link', { name: '第2回（最新）' })).toBeVisible();
    await page.getByRole('link', { name: '第2回（最新）' }).click();
    await expect(card(page, '1. アセスメント').getByText('現在のステップ')).toBeVisible();
    await expect(page.getByRole('table', { name: 'サイクル一覧' }).getByRole('row')).toHaveCount(3);

    // The dashboard shows the new cycle and its step; the PDF list has the five files.
    await openPage(page, '/dashboard');
    const row = page.getByRole('row', { name: /青山 太郎/ });
    await expect(row).toContainText('第2回');
    await expect(row).toContainText('アセスメント');
    await expect(page.getByRole('list', { name: '件数' })).toContainText('総利用者数');
    await expectNoViolations(page);
    await openPage(page, '/documents');
    await expect(page.getByText('5件中 1ページ目')).toBeVisible();
    await expectNoViolations(page);
  });

  test('an oversize file and a renamed PNG are refused in the browser and by the server; employees only read', async ({ page, browser }) => {
    test.slow();
    const email = uniqueEmail('plan-files');
    await signUpAndVerify(page, email);
    await logIn(page, email);
    await setUpOffice(page, 'かしわ作業所');
    await enableMfa(page);
    const id = await createRecipient(page, '柏木', daysAgo(30));
    await openPage(page, `/recipients/${id}/plan`);

    await card(page, '1. アセスメント').getByRole('button', { name: '完了にする' }).click();
    const dialog = page.getByRole('dialog');
    const picker = dialog.getByLabel('PDFファイルをここにドラッグ＆ドロップするか、クリックして選択');
    const big = Buffer.concat([pdf('big'), Buffer.alloc(11 * 1024 * 1024, 0x20)]);
    await picker.setInputFiles({ name: 'big.pdf', mimeType: 'application/pdf', buffer: big });
    await expect(dialog.getByRole('alert').filter({ hasText: 'ファイルサイズは10MBまでです' })).toBeVisible();
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    await picker.setInputFiles({ name: 'photo.pdf', mimeType: 'application/pdf', buffer: png });
    await expect(dialog.getByRole('alert').filter({ hasText: 'PDFファイルのみアップロードできます' })).toBeVisible();
    await expect(dialog.getByText('選択中:')).toHaveCount(0);
    await dialog.getByRole('button', { name: 'キャンセル' }).click();

    // The same files sent past the browser's check: the server refuses them while streaming.
    const cycle = await page.evaluate(async (id) => {
      const r = await fetch(`/api/plan?recipient_id=${id}`);
      return (await r.json()).cycles[0].id as string;
    }, id);
    const statuses = await page.evaluate(
      async ({ id, cycle, big, png }) => {
        const token = document.querySelector('meta[name="csrf-token"]')!.getAttribute('content')!;
        const send = async (bytes: number[] | string, name: string) => {
          const form = new FormData();
          form.append('meta', JSON.stringify({ recipient_id: id, cycle_id: cycle, doc_type: 'assessment_sheet' }));
          const body = typeof bytes === 'string' ? new Uint8Array(bytes.length).fill(0x20) : new Uint8Array(bytes);
          if (typeof bytes === 'string') body.set(new TextEncoder().encode('%PDF-1.4'), 0);
          form.append('file', new Blob([body], { type: 'application/pdf' }), name);
          const r = await fetch('/api/documents/upload', { method: 'POST', headers: { 'X-CSRF-Token': token }, body: form });
          return [r.status, (await r.json()).code];
        };
        return [await send(big, 'big.pdf'), await send(png, 'photo.pdf')];
      },
      { id, cycle, big: 'x'.repeat(11 * 1024 * 1024), png: [...png] },
    );
    expect(statuses).toEqual([
      [413, 'PAYLOAD_TOO_LARGE'],
      [415, 'UNSUPPORTED_FILE'],
    ]);
    await page.reload();
    await expect(card(page, '1. アセスメント').getByText('現在のステップ')).toBeVisible();
    await expect(card(page, '1. アセスメント').locator('.document')).toHaveCount(0);

    // An employee reads the same page without any write control.
    const employee = await inviteAndJoin(page, browser, uniqueEmail('plan-employee'), '従業員', 'かしわ作業所');
    await openPage(employee, `/recipients/${id}/plan`);
    await expect(employee.getByText(/^閲覧専用モード/)).toBeVisible();
    await expect(employee.getByRole('button', { name: '完了にする' })).toHaveCount(0);
    await expect(employee.getByRole('button', { name: '修正版を追加' })).toHaveCount(0);
    await expect(employee.getByRole('button', { name: 'アセスメント開始期限の変更を申請' })).toBeVisible();
    await expectNoViolations(employee);
  });
});
