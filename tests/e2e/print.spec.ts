import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import JSZip from 'jszip';
import type { FrameLocator, Page } from '@playwright/test';
import { call } from './api';
import { expect, test } from './host';
import { signInAsAdmin } from './session';

/** CSS pixels per millimetre at 100 % (96 dpi), the scale the sheets are drawn at. */
const PX_PER_MM = 96 / 25.4;
/** The GB/T 9704-2012 text area on an A4 sheet, in mm from the sheet's top left corner. */
const TEXT_AREA = { left: 28, right: 210 - 26, top: 37 } as const;
/** One character of the 28-character line, and one of the 22 lines of the text area, in mm. */
const CHAR_MM = 156 / 28;
const LINE_MM = 225 / 22;
const ORGAN = '某某区人民政府办公室';

function hasPdfinfo(): boolean {
  try {
    execFileSync('pdfinfo', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Where a line's text starts and ends on its sheet, in mm (the text, not its paragraph's box). */
async function textSpan(sheet: FrameLocator, selector: string, text: string): Promise<{ left: number; right: number; top: number }> {
  const box = await sheet
    .locator(selector, { hasText: text })
    .first()
    .evaluate((element) => {
      const range = element.ownerDocument.createRange();
      range.selectNodeContents(element);
      const rect = range.getBoundingClientRect();
      return { left: rect.left, right: rect.right, top: rect.top };
    });
  return { left: box.left / PX_PER_MM, right: box.right / PX_PER_MM, top: box.top / PX_PER_MM };
}

/** The editor's body paragraph holding `text`, selected whole and typed over. */
async function replaceParagraph(page: Page, text: string, replacement: string): Promise<void> {
  const paragraph = page.getByRole('textbox', { name: '在此输入正文…' }).locator('p', { hasText: text });
  await paragraph.click({ clickCount: 3 });
  await page.keyboard.insertText(replacement);
}

test('a 通知 from its template: print preview page by page, 导出 Word and 导出 PDF in the 公文 layout', async ({ page, host }, testInfo) => {
  await signInAsAdmin(page, host);

  // The 通知 template writes the 主送 line, 一、 headings, 特此通知 and the 落款 with its date.
  await page.getByRole('button', { name: '新建', exact: true }).click();
  await page.getByRole('radio', { name: /^通知/ }).check();
  await page.getByLabel('标题', { exact: true }).fill('关于开展安全生产检查的通知');
  await page.getByLabel('日期', { exact: true }).fill('2024-04-06');
  await page.getByRole('button', { name: '创建并打开' }).click();
  const editor = page.getByRole('textbox', { name: '在此输入正文…' });
  await expect(editor).toContainText('各有关单位：');
  await replaceParagraph(page, '一、【事项】', '一、加强组织领导');
  await replaceParagraph(page, '【发文单位】', ORGAN);
  await expect(editor).toContainText(ORGAN);

  // 打印 saves first, then shows the print page sheet by sheet.
  await page.getByRole('button', { name: '打印', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: '打印预览' });
  await expect(dialog.getByTestId('print-page-count')).toHaveText('A4 · 共 1 页');
  const sheetBox = dialog.locator('.print-sheet[data-page="1"]');
  await expect(sheetBox).toBeVisible();
  // It opens on the whole page; 实际大小 shows the sheet at A4's own size.
  await page.screenshot({ path: testInfo.outputPath('print-preview.png') });
  await dialog.getByRole('button', { name: '实际大小' }).click();
  const size = await sheetBox.boundingBox();
  expect(size?.width).toBeCloseTo(210 * PX_PER_MM, 0);
  expect(size?.height).toBeCloseTo(297 * PX_PER_MM, 0);
  const sheet = page.frameLocator('iframe[title="第 1 页"]');

  // The title is centred on the text area, in 二号 (22 pt).
  const title = sheet.locator('h1');
  await expect(title).toHaveText('关于开展安全生产检查的通知');
  await expect(title).toHaveCSS('text-align', 'center');
  const titleSize = await title.evaluate((h1) => Number.parseFloat(getComputedStyle(h1).fontSize));
  expect(titleSize).toBeCloseTo((22 * 96) / 72, 2);
  const titleSpan = await textSpan(sheet, 'h1', '关于开展');
  expect((titleSpan.left + titleSpan.right) / 2).toBeCloseTo((TEXT_AREA.left + TEXT_AREA.right) / 2, 0);
  expect(titleSpan.top).toBeGreaterThanOrEqual(TEXT_AREA.top - 1);

  // The 主送 line is flush left; body text starts two characters in; the 一、 heading is set in 黑体.
  const addressee = await textSpan(sheet, 'p', '各有关单位：');
  expect(addressee.left).toBeCloseTo(TEXT_AREA.left, 0);
  const lead = await textSpan(sheet, 'p', '现将有关事项通知如下');
  expect(lead.left).toBeCloseTo(TEXT_AREA.left + 2 * CHAR_MM, 0);
  await expect(sheet.locator('p', { hasText: '一、加强组织领导' }).locator('.f-hei')).toHaveText('一、加强组织领导');

  // The 落款 and its date are right-aligned (GB/T 9704 §7.3.5.2): one blank line under the text, the
  // 署名 ending two characters from the right edge, the date under it starting two characters further right.
  const closing = await textSpan(sheet, 'p', '特此通知');
  const signature = await textSpan(sheet, 'p', ORGAN);
  const date = await textSpan(sheet, 'p', '2024年4月6日');
  await expect(sheet.locator('p', { hasText: ORGAN })).toHaveCSS('text-align', 'right');
  await expect(sheet.locator('p', { hasText: '2024年4月6日' })).toHaveCSS('text-align', 'right');
  expect(signature.top - closing.top).toBeCloseTo(2 * LINE_MM, 0);
  expect(signature.right).toBeCloseTo(TEXT_AREA.right - 2 * CHAR_MM, 0);
  expect(date.top - signature.top).toBeCloseTo(LINE_MM, 0);
  expect(date.left).toBeGreaterThan(signature.left + CHAR_MM);
  expect(date.right).toBeLessThanOrEqual(TEXT_AREA.right + 0.5);

  // The page number, 「— 1 —」, on the outer (right) side of page 1 under the text area.
  const number = dialog.locator('.print-sheet[data-page="1"] .print-page-number');
  await expect(number).toHaveText('— 1 —');
  const numberBox = await number.boundingBox();
  const sheetNow = await sheetBox.boundingBox();
  if (!sheetNow || !numberBox) throw new Error('the sheet or its page number is not laid out');
  expect((numberBox.x - sheetNow.x) / PX_PER_MM).toBeGreaterThan(105);
  expect((numberBox.y - sheetNow.y) / PX_PER_MM).toBeGreaterThan(297 - 35);

  // What the layout substituted on this machine is said in plain words.
  await expect(dialog.getByText(/排版说明/)).toBeVisible();

  // 打印 prints the frame holding the print page (its own @page rules), not the app window. Chromium
  // ignores print() in a sandboxed frame that may not open modals, and says so on the console.
  const refusals: string[] = [];
  page.on('console', (message) => {
    if (message.text().includes("Ignored call to 'print()'")) refusals.push(message.text());
  });
  await dialog.getByRole('button', { name: '打印', exact: true }).click();
  await expect(page.getByText('无法打开打印')).toHaveCount(0);
  expect(refusals).toEqual([]);
  await page.evaluate(() => {
    const frame = document.querySelector<HTMLIFrameElement>('iframe.print-source');
    const target = frame?.contentWindow as (Window & { printed?: number }) | null | undefined;
    if (!target) throw new Error('no print frame');
    target.print = () => {
      target.printed = (target.printed ?? 0) + 1;
    };
  });
  await dialog.getByRole('button', { name: '打印', exact: true }).click();
  expect(
    await page.evaluate(
      () => (document.querySelector<HTMLIFrameElement>('iframe.print-source')?.contentWindow as (Window & { printed?: number }) | null)?.printed,
    ),
  ).toBe(1);

  // 导出 Word from the preview: an A4 .docx; what was substituted is listed in the preview.
  const docxDownload = page.waitForEvent('download');
  await dialog.getByRole('button', { name: '导出 Word' }).click();
  const docx = await docxDownload;
  expect(docx.suggestedFilename()).toBe('关于开展安全生产检查的通知.docx');
  const zip = await JSZip.loadAsync(readFileSync((await docx.path())!));
  const documentXml = (await zip.file('word/document.xml')?.async('string')) ?? '';
  expect(documentXml).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
  expect(documentXml).toContain(ORGAN);
  await expect(dialog.getByText('已导出「关于开展安全生产检查的通知.docx」。请注意：')).toBeVisible();

  await dialog.getByRole('button', { name: '关闭', exact: true }).last().click();
  await expect(dialog).toHaveCount(0);

  // 导出 PDF from the top bar: a PDF of A4 pages, and its notes in a dialog until read.
  const pdfDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: '导出 PDF' }).click();
  const pdf = await pdfDownload;
  expect(pdf.suggestedFilename()).toBe('关于开展安全生产检查的通知.pdf');
  const pdfPath = (await pdf.path())!;
  expect(readFileSync(pdfPath).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  if (hasPdfinfo()) {
    const info = execFileSync('pdfinfo', [pdfPath], { encoding: 'utf8' });
    expect(info).toMatch(/Pages:\s+1\n/);
    expect(info).toMatch(/Page size:\s+59[45](\.\d+)? x 84[12](\.\d+)? pts \(A4\)/);
  } else {
    testInfo.annotations.push({ type: 'skipped check', description: 'pdfinfo (poppler-utils) is not installed: the PDF page size was not read' });
  }
  const notes = page.getByRole('dialog', { name: '导出说明' });
  await expect(notes).toContainText('已导出「关于开展安全生产检查的通知.pdf」');
  await page.screenshot({ path: testInfo.outputPath('export-notes.png') });
  await notes.getByRole('button', { name: '关闭', exact: true }).last().click();
  await expect(notes).toHaveCount(0);
});

test('the 红头 version: the preview and the Word file carry the 发文机关标志 in red', async ({ page, host }, testInfo) => {
  const settings = await call(host, 'settings:get', {});
  await call(host, 'settings:save', { ...settings, signoff: { ...settings.signoff, officeName: ORGAN } });
  await call(host, 'articles:create', { template: 'notice', input: { title: '关于做好防汛工作的通知', date: '2024-06-01' } });
  await signInAsAdmin(page, host);
  await page.getByRole('cell', { name: '关于做好防汛工作的通知' }).click();

  await page.getByRole('button', { name: '打印', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: '打印预览' });
  const sheet = page.frameLocator('iframe[title="第 1 页"]');
  await expect(sheet.locator('h1')).toHaveText('关于做好防汛工作的通知');
  await expect(sheet.locator('.redhead-organ')).toHaveCount(0);

  // Switched on in the preview: laid out again with the organ's name in red above the title.
  await dialog.getByLabel('红头').check();
  const organ = sheet.locator('.redhead-organ');
  await expect(organ).toHaveText(`${ORGAN}文件`);
  await expect(organ).toHaveCSS('color', 'rgb(238, 0, 0)');
  await expect(sheet.locator('.redhead-organ')).toHaveCSS('text-align', 'center');
  // The 红头 takes the top of the first page; the title moves down below it.
  const titleTop = await sheet.locator('h1').evaluate((h1) => h1.getBoundingClientRect().top / (96 / 25.4));
  expect(titleTop).toBeGreaterThan(TEXT_AREA.top + 35);
  await page.screenshot({ path: testInfo.outputPath('print-preview-redhead.png') });

  // The switch is shared with the top bar's exports: the Word file is the 红头 version too.
  await dialog.getByRole('button', { name: '关闭', exact: true }).last().click();
  await expect(page.getByLabel('红头')).toBeChecked();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: '导出 Word' }).click();
  const docx = await download;
  expect(docx.suggestedFilename()).toBe('关于做好防汛工作的通知（红头）.docx');
  const zip = await JSZip.loadAsync(readFileSync((await docx.path())!));
  expect(await zip.file('word/document.xml')?.async('string')).toContain(`${ORGAN}文件`);
});

test('a long 通知 is previewed on as many pages as its PDF has, each sheet starting where the PDF page does', async ({
  page,
  host,
}, testInfo) => {
  test.skip(!hasPdfinfo(), 'pdfinfo/pdftotext (poppler-utils) are not installed: the PDF pages cannot be read');
  const created = await call(host, 'articles:create', { template: 'notice', input: { title: '关于印发安全生产检查方案的通知', date: '2024-04-06' } });
  // Every sentence is numbered, so any line of the text occurs once.
  const sentences = (n: number) =>
    Array.from({ length: 7 }, (_, k) => `第${n}段第${k + 1}句要求各单位认真落实安全生产责任。`).join('');
  const body = Array.from({ length: 24 }, (_, n) => ({ type: 'paragraph', content: [{ type: 'text', text: sentences(n + 1) }] }));
  const content = created.doc.content;
  await call(host, 'articles:save', {
    id: created.id,
    meta: created.meta,
    doc: { type: 'doc', content: [...content.slice(0, -3), ...body, ...content.slice(-3)] },
    baseUpdatedAt: created.updatedAt,
  });
  await signInAsAdmin(page, host);
  await page.getByRole('cell', { name: '关于印发安全生产检查方案的通知' }).click();

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: '导出 PDF' }).click();
  const pdfPath = (await (await download).path())!;
  const pages = Number(/Pages:\s+(\d+)/u.exec(execFileSync('pdfinfo', [pdfPath], { encoding: 'utf8' }))?.[1]);
  expect(pages).toBeGreaterThanOrEqual(3);
  await page.getByRole('dialog', { name: '导出说明' }).getByRole('button', { name: '关闭', exact: true }).last().click();

  await page.getByRole('button', { name: '打印', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: '打印预览' });
  await expect(dialog.getByTestId('print-page-count')).toHaveText(`A4 · 共 ${pages} 页`);
  await expect(dialog.locator('.print-sheet')).toHaveCount(pages);
  await expect(dialog.locator(`.print-sheet[data-page="${pages}"] .print-page-number`)).toHaveText(`— ${pages} —`);
  await dialog.locator('.print-sheet[data-page="2"]').scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath('print-preview-page-2.png') });

  // Every line of this text occurs once, so where a PDF page's first line is tells which page the preview put it on.
  const firstLines = new Map<number, string>();
  for (let number = 2; number <= pages; number++) {
    const text = execFileSync('pdftotext', ['-f', String(number), '-l', String(number), pdfPath, '-'], { encoding: 'utf8' });
    const firstLine = text
      .split('\n')
      .map((line) => line.replace(/\s+/gu, ''))
      .find((line) => line.length > 0);
    if (!firstLine) throw new Error(`page ${number} of the PDF has no text line`);
    firstLines.set(number, firstLine);
  }
  // Both sizes: the sheets are laid out again at the whole-page zoom, where Chromium rounds line positions differently.
  for (const size of ['整页', '实际大小']) {
    await dialog.getByRole('button', { name: size }).click();
    await expect(dialog.getByRole('button', { name: size })).toHaveAttribute('aria-pressed', 'true');
    for (const [number, firstLine] of firstLines) {
      // Where that line is on the preview's sheet: at the top of its text area.
      const at = await page
        .frameLocator(`iframe[title="第 ${number} 页"]`)
        .locator('body')
        .evaluate((element, wanted) => {
          const doc = element.ownerDocument;
          const walker = doc.createTreeWalker(element, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const index = (node.textContent ?? '').indexOf(wanted);
            if (index < 0) continue;
            const range = doc.createRange();
            range.setStart(node, index);
            range.setEnd(node, index + 1);
            const rect = range.getBoundingClientRect();
            return { left: rect.left / (96 / 25.4), top: rect.top / (96 / 25.4) };
          }
          return null;
        }, firstLine);
      expect(at, `${size}: page ${number} begins with “${firstLine}”`).not.toBeNull();
      expect(at!.left).toBeGreaterThanOrEqual(TEXT_AREA.left - 0.5);
      expect(at!.left).toBeLessThan(TEXT_AREA.right);
      expect(at!.top).toBeGreaterThanOrEqual(TEXT_AREA.top - 0.5);
      expect(at!.top).toBeLessThan(TEXT_AREA.top + LINE_MM);
    }
  }
});
