import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ApiError } from '../../../shared/api/errors';

/**
 * Prints a self-contained HTML page to PDF. The desktop app passes Electron's
 * webContents.printToPDF (electron/shell/print-to-pdf.ts); the web host, the
 * CLI and the tests use {@link chromiumPrintToPdf}. Both honour the page's CSS
 * @page size, margins and margin boxes, so the PDF is the print layout.
 */
export type PrintToPdf = (html: string) => Promise<Buffer>;

const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** The system Chromium (CHROMIUM_PATH first), or null. */
export function findChromium(): string | null {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  return CHROMIUM_CANDIDATES.find((path) => existsSync(path)) ?? null;
}

/** Headless Chromium's --print-to-pdf on a temporary copy of the page. */
export const chromiumPrintToPdf: PrintToPdf = async (html) => {
  const chromium = findChromium();
  if (!chromium) {
    throw new ApiError('internal', '本机没有找到 Chromium，无法生成 PDF；请安装 Chromium（或设置 CHROMIUM_PATH），或导出 Word 文件后另存为 PDF。');
  }
  const dir = await mkdtemp(join(tmpdir(), 'gazette-pdf-'));
  try {
    const page = join(dir, 'page.html');
    const pdf = join(dir, 'page.pdf');
    await writeFile(page, html, 'utf8');
    await new Promise<void>((resolve, reject) => {
      execFile(
        chromium,
        [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--no-first-run',
          '--disable-extensions',
          `--user-data-dir=${join(dir, 'profile')}`,
          '--no-pdf-header-footer',
          `--print-to-pdf=${pdf}`,
          pathToFileURL(page).href,
        ],
        { timeout: 60_000 },
        (error) => (error ? reject(error) : resolve()),
      );
    });
    return await readFile(pdf);
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError('internal', `生成 PDF 失败：${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};
