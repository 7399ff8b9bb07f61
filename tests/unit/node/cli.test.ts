import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli-harness';
import { ArticleSchema } from '../../../shared/domain/article';

const SAMPLE = join(__dirname, '..', '..', 'fixtures', 'portal', 'sample-2021-05-20.txt');

let root: string;
let workspace: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'gazette-cli-'));
  workspace = join(root, 'ws');
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

interface ImportedRow {
  id: string;
  file: string;
  title: string;
  date: string;
  source: string;
  column: string[];
  author: string | null;
  paragraphs: string[];
  unrecognised: string[];
  warnings: string[];
}

describe('gazette CLI', () => {
  it('imports the sample portal page and prints its parsed fields as JSON', async () => {
    const result = await runCli('import', SAMPLE, '--workspace', workspace, '--json');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as ImportedRow[];
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row?.title).toBe('新乡经开区召开全区领导干部会议 传达学习习近平总书记重要讲话指示精神');
    expect(row?.date).toBe('2021-05-20');
    expect(row?.source).toBe('区党政办');
    expect(row?.column).toEqual(['首页', '要闻动态', '政务要闻']);
    expect(row?.paragraphs[0]).toMatch(/^5月19日,经开区召开全区领导干部会议/);
    expect(row?.paragraphs.join('')).not.toContain('分享到');
    expect(row?.file).toBe(SAMPLE);

    const listed = await runCli('list', '--workspace', workspace, '--json');
    expect(listed.code).toBe(0);
    const items = JSON.parse(listed.stdout) as { id: string; title: string; publishAt: string }[];
    expect(items.map((i) => i.id)).toEqual([row?.id]);
    expect(items[0]?.publishAt).toBe('2021-05-20');
  });

  it('imports folders recursively, reports failures and exits 1 when any failed', async () => {
    const folder = join(root, 'in');
    mkdirSync(join(folder, 'sub'), { recursive: true });
    copyFileSync(SAMPLE, join(folder, 'sub', 'article.txt'));
    writeFileSync(join(folder, 'broken.docx'), 'this is not a zip file');
    writeFileSync(join(folder, 'ignored.png'), 'not imported');

    const result = await runCli('import', folder, '-w', workspace, '--json');
    expect(result.code).toBe(1);
    const rows = JSON.parse(result.stdout) as ImportedRow[];
    expect(rows.map((r) => r.file)).toEqual([join(folder, 'sub', 'article.txt')]);
    const errorLines = result.stderr.trim().split('\n');
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]).toContain(join(folder, 'broken.docx'));

    // Human-readable output, into a second workspace (in this one the page is already imported).
    const other = join(root, 'ws2');
    const readable = await runCli('import', join(folder, 'sub'), '-w', other);
    expect(readable.code).toBe(0);
    expect(readable.stdout).toContain('2021-05-20');
    expect(readable.stdout).toContain('首页 / 要闻动态 / 政务要闻');
    expect(readable.stdout).toContain('1 imported, 0 failed');
    expect((JSON.parse((await runCli('list', '-w', other, '--json')).stdout) as unknown[]).length).toBe(1);
  });

  it('lists files already in the workspace as duplicates, exits 0, and imports them with --allow-duplicates', async () => {
    const folder = join(root, 'in');
    mkdirSync(folder, { recursive: true });
    copyFileSync(SAMPLE, join(folder, 'a-sample.txt'));
    const first = JSON.parse((await runCli('import', join(folder, 'a-sample.txt'), '-w', workspace, '--json')).stdout) as ImportedRow[];
    const originalId = first[0]?.id ?? '';
    expect(originalId).not.toBe('');
    // The folder is re-imported after a new file was added: a common office routine.
    writeFileSync(join(folder, 'b-notice.txt'), '关于开展安全生产检查的通知\n\n时间:2024-03-01 来源:区应急管理局\n\n各有关单位：请做好检查。\n');

    const human = await runCli('import', folder, '-w', workspace);
    expect(human.code).toBe(0);
    expect(human.stderr).toBe('');
    const duplicateLine = human.stdout.split('\n').find((line) => line.startsWith('duplicate:'));
    expect(duplicateLine).toContain(join(folder, 'a-sample.txt'));
    expect(duplicateLine).toContain(originalId);
    expect(duplicateLine).toContain('新乡经开区召开全区领导干部会议');
    expect(duplicateLine).toContain('the same file');
    expect(human.stdout).toContain('1 imported, 1 already in the workspace');
    expect(human.stdout).toContain('安全生产检查');

    const json = await runCli('import', folder, '-w', workspace, '--json');
    expect(json.code).toBe(0);
    const rows = JSON.parse(json.stdout) as Record<string, unknown>[];
    expect(rows).toEqual([
      {
        file: join(folder, 'a-sample.txt'),
        duplicate: true,
        reason: 'same-file',
        existing: { id: originalId, title: '新乡经开区召开全区领导干部会议 传达学习习近平总书记重要讲话指示精神', trashed: false },
      },
      expect.objectContaining({ file: join(folder, 'b-notice.txt'), duplicate: true, reason: 'same-file' }),
    ]);
    expect((JSON.parse((await runCli('list', '-w', workspace, '--json')).stdout) as unknown[]).length).toBe(2);

    const forced = await runCli('import', join(folder, 'a-sample.txt'), '-w', workspace, '--json', '--allow-duplicates');
    expect(forced.code).toBe(0);
    const forcedRows = JSON.parse(forced.stdout) as ImportedRow[];
    expect(forcedRows).toHaveLength(1);
    expect(forcedRows[0]?.id).not.toBe(originalId);
    expect((JSON.parse((await runCli('list', '-w', workspace, '--json')).stdout) as unknown[]).length).toBe(3);
  });

  it('exports an article as JSON to stdout and as HTML to a file', async () => {
    const imported = JSON.parse((await runCli('import', SAMPLE, '-w', workspace, '--json')).stdout) as ImportedRow[];
    const id = imported[0]?.id ?? '';

    const json = await runCli('export', id, '--format', 'json', '--workspace', workspace);
    expect(json.code).toBe(0);
    const article = ArticleSchema.parse(JSON.parse(json.stdout));
    expect(article.id).toBe(id);
    expect(article.meta.source).toBe('区党政办');

    const out = join(root, 'out.html');
    const html = await runCli('export', id, '--format', 'html', '--workspace', workspace, '-o', out);
    expect(html.code).toBe(0);
    expect(html.stdout).toBe('');
    const page = readFileSync(out, 'utf8');
    expect(page).toMatch(/^<!DOCTYPE html>/i);
    expect(page).toContain('新乡经开区召开全区领导干部会议');
    expect(page).not.toContain('<script');
  });

  it('fails with one line on stderr for bad invocations', async () => {
    const cases: string[][] = [
      ['frobnicate', '-w', workspace],
      ['list'],
      ['export', 'NoSuchArticle1', '--format', 'json', '-w', workspace],
      ['export', 'NoSuchArticle1', '--format', 'pdf', '-w', workspace],
      ['import', join(root, 'missing.txt'), '-w', workspace],
      ['list', '--bogus', '-w', workspace],
      [],
    ];
    for (const argv of cases) {
      const result = await runCli(...argv);
      expect(result.code, argv.join(' ')).not.toBe(0);
      expect(result.stdout, argv.join(' ')).toBe('');
      expect(result.stderr.trim().split('\n'), argv.join(' ')).toHaveLength(1);
    }
    expect((await runCli('export', 'NoSuchArticle1', '--format', 'json', '-w', workspace)).stderr).toContain('not_found');
  });

  it('prints usage with --help', async () => {
    const result = await runCli('--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('gazette import');
    expect(result.stdout).toContain('--workspace');
    expect(result.stdout).toContain('--allow-duplicates');
  });
});
