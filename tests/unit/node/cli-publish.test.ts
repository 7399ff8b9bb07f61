import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli-harness';
import { createPublishingTeam, draft, passwordOf } from '../../support/review-api';
import { withSiteIdentifiers } from '../../support/site-identifiers';

let root: string;
let ws: string;
let www: string;

/** A workspace with a static-folder target, one approved article and one draft. */
async function prepare(): Promise<{ approved: string; unapproved: string }> {
  const office = await createPublishingTeam(ws);
  try {
    const site = await office.value('admin', 'sites:get', { id: 'main' });
    await office.value('admin', 'sites:save', { ...withSiteIdentifiers(site), targets: [{ id: 'www', kind: 'static-folder', label: '门户目录', folder: www }] });
    const article = await draft(office, 'writer', '命令行发布测试', '会议研究了有关事项。');
    await office.value('writer', 'review:submit', { id: article.id, note: '' });
    const view = await office.value('reviewer', 'review:get', { id: article.id });
    await office.value('reviewer', 'review:approve', { id: article.id, opinion: '同意', expectedHash: view.currentHash });
    const other = await draft(office, 'writer', '还没审核的稿件', '正文。');
    return { approved: article.id, unapproved: other.id };
  } finally {
    await office.close();
  }
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'gazette-cli-publish-'));
  ws = join(root, 'ws');
  www = join(root, 'www');
});

afterEach(() => {
  delete process.env.GAZETTE_PASSWORD;
  rmSync(root, { recursive: true, force: true });
});

describe('gazette render / site build / publish / outbox run', () => {
  it('renders, publishes as a publisher only, builds the site and runs the outbox, with meaningful exit codes', async () => {
    const { approved, unapproved } = await prepare();

    const page = join(root, 'page.html');
    const rendered = await runCli('render', approved, '--site', 'main', '-o', page, '--workspace', ws);
    expect(rendered.code).toBe(0);
    expect(readFileSync(page, 'utf8')).toContain('命令行发布测试');
    expect((await runCli('render', approved, '--site', 'nosuch', '--workspace', ws)).code).toBe(1);

    expect((await runCli('publish', approved, '--workspace', ws)).code).toBe(2);
    const asOperator = await runCli('publish', approved, '--target', 'www', '--workspace', ws);
    expect(asOperator.code).toBe(1);
    expect(asOperator.stderr).toContain('发布员');

    process.env.GAZETTE_PASSWORD = passwordOf('publisher');
    const refused = await runCli('publish', unapproved, '--target', 'www', '--as', '王发布', '--workspace', ws);
    expect(refused.code).toBe(1);

    const published = await runCli('publish', approved, '--target', 'www', '--as', '王发布', '--workspace', ws);
    expect(published.stderr).toBe('');
    expect(published.code).toBe(0);
    expect(published.stdout).toMatch(/^succeeded {2}publish/);
    // The page on the site is byte for byte what `render` wrote.
    const url = /(https?:\S+\.html)/.exec(published.stdout)?.[1] ?? '';
    const path = new URL(url).pathname.replace(/^\//, '');
    expect(readFileSync(join(www, path), 'utf8')).toBe(readFileSync(page, 'utf8'));

    const idle = await runCli('outbox', 'run', '--workspace', ws);
    expect(idle.code).toBe(0);
    expect(idle.stdout).toContain('0 jobs attempted');

    const out = join(root, 'site');
    const built = await runCli('site', 'build', '--site', 'main', '-o', out, '--workspace', ws);
    expect(built.code).toBe(0);
    expect(readFileSync(join(out, path), 'utf8')).toBe(readFileSync(page, 'utf8'));
    expect(existsSync(join(out, 'index.html'))).toBe(true);
    expect(existsSync(join(out, 'sitemap.xml'))).toBe(true);
    expect((await runCli('site', 'build', '--workspace', ws)).code).toBe(2);

    const unexplained = await runCli('publish', approved, '--target', 'www', '--action', 'withdraw', '--as', '王发布', '--workspace', ws);
    expect(unexplained.code).toBe(2);
    expect(existsSync(join(www, path))).toBe(true);
    const withdrawn = await runCli('publish', approved, '--target', 'www', '--action', 'withdraw', '--reason', '信息有误', '--as', '王发布', '--workspace', ws);
    expect(withdrawn.code).toBe(0);
    expect(existsSync(join(www, path))).toBe(false);
  });
});
