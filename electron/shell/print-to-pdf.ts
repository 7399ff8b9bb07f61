import { BrowserWindow } from 'electron';

/**
 * The 公文 print page to PDF with Electron's own Chromium (the desktop app has
 * no system browser to call). The page is self-contained HTML (images inlined,
 * no scripts), loaded into a hidden window with JavaScript off; its CSS @page
 * rules decide size, margins and the page-number boxes.
 */
export async function electronPrintToPdf(html: string): Promise<Buffer> {
  const window = new BrowserWindow({
    show: false,
    webPreferences: { javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false },
  });
  try {
    await window.loadURL(`data:text/html;charset=utf-8;base64,${Buffer.from(html, 'utf8').toString('base64')}`);
    return await window.webContents.printToPDF({ preferCSSPageSize: true, printBackground: true, generateDocumentOutline: false });
  } finally {
    window.destroy();
  }
}
