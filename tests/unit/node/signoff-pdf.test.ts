import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../../shared/api/errors';
import { translate } from '../../../shared/i18n';
import type { SignoffSheet } from '../../../shared/workflow/signoff';
import { findCjkFont, renderSignoffPdf } from '../../../node/services/review/signoff-pdf';

const installed = findCjkFont();

const sheet: SignoffSheet = {
  articleId: 'a1',
  title: '区政府召开常务会议',
  column: ['首页', '要闻动态'],
  source: '区党政办',
  date: '2021-05-20',
  status: 'approved',
  submittedBy: '张撰稿',
  stages: [
    {
      stageId: 'final',
      stageName: '终审',
      reviewer: '李审核',
      at: '2021-05-20T09:00:00Z',
      opinion: '同意发布',
      contentHash: 'a'.repeat(64),
      signature: 'valid',
      current: true,
    },
  ],
  invalidated: [],
  currentHash: 'a'.repeat(64),
  fullyApproved: true,
  printedAt: '2021-05-21T09:00:00Z',
};

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gazette-signoff-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const isPdf = (bytes: Uint8Array) => Buffer.from(bytes.subarray(0, 5)).toString('latin1') === '%PDF-';

describe('sign-off sheet PDF', () => {
  it('says which font to install when there is no CJK font', async () => {
    const failure = renderSignoffPdf(sheet, { font: null });
    await expect(failure).rejects.toBeInstanceOf(ApiError);
    await expect(failure).rejects.toThrow(translate('zh-CN', 'session.error.noCjkFont'));
  });

  it.skipIf(!installed)('reads the font once: a second PDF renders even after the font file is gone', async () => {
    const path = join(dir, 'cjk.ttc');
    copyFileSync(installed?.path ?? '', path);
    const font = { path, ...(installed?.family ? { family: installed.family } : {}) };
    expect(isPdf(await renderSignoffPdf(sheet, { font }))).toBe(true);
    rmSync(path);
    expect(isPdf(await renderSignoffPdf(sheet, { font }))).toBe(true);
  });

  it.skipIf(!installed)('names a broken font file, and uses the file once it is repaired', async () => {
    const path = join(dir, 'broken.ttc');
    writeFileSync(path, 'not a font');
    const font = { path, ...(installed?.family ? { family: installed.family } : {}) };
    await expect(renderSignoffPdf(sheet, { font })).rejects.toThrow(path);
    copyFileSync(installed?.path ?? '', path);
    expect(isPdf(await renderSignoffPdf(sheet, { font }))).toBe(true);
  });
});
