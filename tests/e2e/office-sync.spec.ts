import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { addRepository } from '../../scripts/office-server/kit';
import { draftsRepo, personRepo, submittedRepo } from '../../node/services/sync/office-repos';
import { call } from './api';
import { E2E_ADMIN, expect, makeWorkspaceDir, type RunningHost, startHost, test } from './host';
import { gazetteCli, officeServerMissing, type OfficeServer, startBareHost, startOfficeServer } from './office-server';
import { addPerson, signIn } from './session';
import { withSiteIdentifiers } from '../support/site-identifiers';

/*
 * Three desktops of one office, each its own web host, workspace and browser
 * context, sharing work only through the real office server (Apache +
 * git-http-backend + the hooks, started by the kit). The office is set up on
 * the administrator's desktop (who also writes) and carried to the empty
 * server from its command line; the reviewer and the publisher join from
 * fresh desktops through 加入办公室服务器. The writer submits, the reviewer's
 * desktop receives it after 立即同步 and approves, the publisher's desktop
 * receives the approval and publishes to a folder; the title bar says where
 * each desktop stands along the way. The publisher is not an administrator:
 * the publishing target is set up on the administrator's desktop and reaches
 * the publisher's through the office server, as site profiles do.
 */

const skipReason = officeServerMissing();
if (skipReason) console.warn(`[skip] office sync e2e: ${skipReason}`);

const PASSWORD = 'office-pass-2026';
const REVIEWER = '李审核';
const PUBLISHER = '钱发布';
const UNIT = E2E_ADMIN.unit;
const TARGET_LABEL = '本地网站文件夹';
const TITLE = '关于做好元旦春节期间值班工作的通知';

function phase(page: Page) {
  return page.getByTestId('sync-phase');
}

async function newDesktop(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
  return context.newPage();
}

/** 加入办公室服务器 on a fresh desktop, through the form. */
async function joinThroughUi(page: Page, host: RunningHost, server: OfficeServer, personId: string, name: string): Promise<void> {
  await page.goto(host.url);
  await page.getByRole('button', { name: '加入办公室服务器' }).click();
  const form = page.getByRole('form', { name: '加入办公室服务器' });
  await form.getByLabel('服务器地址').fill(server.url);
  await form.getByLabel('人员编号').fill(personId);
  await form.getByLabel('密码', { exact: true }).fill(PASSWORD);
  await form.getByRole('button', { name: '加入并登录' }).click();
  await expect(page.getByTestId('signed-in-person')).toContainText(name, { timeout: 60_000 });
}

/** 立即同步, then the title bar's word once the round is done. */
async function syncNow(page: Page): Promise<void> {
  const button = page.getByTestId('sync-now');
  await expect(button).toBeEnabled();
  await button.click();
  await expect(button).toHaveText('立即同步', { timeout: 60_000 });
}

async function openArticle(page: Page, title: string) {
  await page.getByRole('button', { name: '文稿列表', exact: true }).click();
  await page.getByRole('cell', { name: title }).click();
  await expect(page.getByRole('heading', { name: title, level: 1 })).toBeVisible();
}

test('a writer submits on one desktop, a reviewer approves on another, a publisher publishes on a third, all through the office server', async ({ browser }, testInfo) => {
  test.skip(skipReason !== null, skipReason ?? '');
  test.setTimeout(480_000);
  const shot = (name: string) => testInfo.outputPath(`${name}.png`);
  const folder = mkdtempSync(join(tmpdir(), 'gazette-e2e-office-site-'));
  const workspaces = { a: makeWorkspaceDir(), b: makeWorkspaceDir(), c: makeWorkspaceDir() };
  const hosts: RunningHost[] = [];
  let server: OfficeServer | null = null;
  try {
    // ── The office on the administrator's desktop (A): people, a one-stage chain. ──
    let a = await startHost(workspaces.a);
    const adminId = a.adminId;
    const reviewerId = (await addPerson(a, { name: REVIEWER, unit: UNIT, roles: ['reviewer'], password: PASSWORD })).id;
    const publisherId = (await addPerson(a, { name: PUBLISHER, unit: UNIT, roles: ['publisher'], password: PASSWORD })).id;
    await call(a, 'review:chainSave', { stages: [{ id: 'first', name: '审核', roles: ['reviewer'] }], distinctReviewers: true });
    await a.stop();

    // ── The office server, and the office carried to it from A's command line. ──
    server = await startOfficeServer();
    for (const name of ['office', draftsRepo(UNIT).name, submittedRepo(UNIT).name, ...[adminId, reviewerId, publisherId].map((id) => personRepo(id).name)]) {
      addRepository(server.dir, name);
    }
    server.addLogin(adminId, E2E_ADMIN.password);
    server.addLogin(reviewerId, PASSWORD);
    server.addLogin(publisherId, PASSWORD);
    const joined = gazetteCli(['office', 'join', server.url, '--as', adminId, '--workspace', workspaces.a], E2E_ADMIN.password);
    expect(joined.status, joined.stdout + joined.stderr).toBe(0);
    a = await startHost(workspaces.a);
    hosts.push(a);

    // ── The reviewer (B) and the publisher (C) join from fresh desktops. ──
    const b = await startBareHost(workspaces.b);
    hosts.push(b);
    const c = await startBareHost(workspaces.c);
    hosts.push(c);
    const reviewer = await newDesktop(browser);
    await joinThroughUi(reviewer, b, server, reviewerId, REVIEWER);
    await expect(phase(reviewer)).toHaveText('已同步', { timeout: 20_000 });
    const publisher = await newDesktop(browser);
    await joinThroughUi(publisher, c, server, publisherId, PUBLISHER);
    await expect(phase(publisher)).toHaveText('已同步', { timeout: 20_000 });

    // ── The writer (A) drafts; their sign-in's round sends it; an edit then waits to be sent. ──
    const created = await call(a, 'articles:create', { template: 'blank', input: { title: TITLE } });
    await call(a, 'articles:save', {
      id: created.id,
      meta: { ...created.meta, title: TITLE, column: ['首页', '要闻动态', '政务要闻'], publishAt: '2026-12-28T09:00', source: UNIT },
      doc: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: '各单位要严格执行领导带班和24小时值班制度。' }] }] },
    });
    // The script's own session (the same person) started rounds; the browser signs in once they are done.
    await expect.poll(async () => (await call(a, 'sync:status', {})).phase, { timeout: 90_000 }).toBe('synced');
    const writer = await newDesktop(browser);
    await signIn(writer, a, E2E_ADMIN.name, E2E_ADMIN.password);
    await expect(phase(writer)).toHaveText('已同步', { timeout: 60_000 });
    await openArticle(writer, TITLE);
    await writer.getByRole('textbox', { name: '在此输入正文…' }).click();
    await writer.keyboard.press('End');
    await writer.keyboard.insertText('节日期间如遇突发情况，须第一时间报告。');
    await expect(writer.getByTestId('save-status')).toContainText('已保存', { timeout: 10_000 });
    // A save is sent by the round that follows it ten seconds later; until then the title bar and the list say it waits.
    await writer.getByRole('button', { name: '文稿列表', exact: true }).click();
    await expect(phase(writer)).toHaveText(/^待同步 \d+$/, { timeout: 9_000 });
    await expect(writer.getByRole('row', { name: new RegExp(TITLE) }).getByTestId('article-sync-state')).toHaveText('待同步');
    await writer.locator('.app-header').screenshot({ path: shot('title-bar-pending') });
    // …and the round after the save sends it without anyone asking.
    await expect(phase(writer)).toHaveText('已同步', { timeout: 60_000 });
    await expect(writer.getByRole('row', { name: new RegExp(TITLE) }).getByTestId('article-sync-state')).toHaveCount(0);

    await openArticle(writer, TITLE);
    await writer.getByRole('button', { name: '提交审核', exact: true }).click();
    await writer.getByRole('dialog').getByLabel('提交说明').fill('请审核');
    await writer.getByRole('dialog').getByRole('button', { name: '提交审核' }).click();
    await expect(writer.getByTestId('review-status')).toContainText('审核中');
    await syncNow(writer);
    await expect(phase(writer)).toHaveText('已同步', { timeout: 30_000 });
    await writer.locator('.app-header').screenshot({ path: shot('title-bar-synced') });

    // The log says what was sent.
    await phase(writer).click();
    const log = writer.getByRole('dialog', { name: '同步记录' });
    await expect(log.getByTestId('sync-log-entry').filter({ hasText: '已发送' }).first()).toBeVisible();
    await log.screenshot({ path: shot('sync-log') });
    await log.getByRole('button', { name: '关闭' }).click();

    // ── The reviewer's desktop receives it after a sync, and approves. ──
    await syncNow(reviewer);
    await reviewer.getByRole('button', { name: /待我审核/ }).click();
    await reviewer.getByRole('button', { name: TITLE }).click();
    await expect(reviewer.getByTestId('review-status')).toBeVisible();
    await reviewer.getByRole('button', { name: '通过', exact: true }).click();
    const approve = reviewer.getByRole('dialog');
    await approve.getByLabel('审核意见').fill('同意发布。');
    await approve.getByRole('button', { name: '通过', exact: true }).click();
    await expect(approve).toBeHidden();
    await expect(reviewer.getByTestId('review-status')).toHaveText('已审核');
    await syncNow(reviewer);
    await expect(phase(reviewer)).toHaveText('已同步', { timeout: 30_000 });

    // ── The administrator (A) sets up the publishing target; the office server carries it. ──
    const site = await call(a, 'sites:get', { id: 'main' });
    mkdirSync(folder, { recursive: true });
    await call(a, 'sites:save', { ...withSiteIdentifiers(site), targets: [{ kind: 'static-folder', id: 'local', label: TARGET_LABEL, folder }] });
    const sent = await call(a, 'sync:now', {});
    expect(sent.phase, sent.message ?? '').toBe('synced');

    // ── The publisher's desktop receives the target and the approval, and publishes to the folder. ──
    // Not an administrator: the publisher cannot change the site profile on their own desktop.
    await call(c, 'session:signIn', { personId: publisherId, password: PASSWORD });
    await expect(call(c, 'sites:save', { ...site, targets: [] })).rejects.toThrow(/forbidden/);
    await syncNow(publisher);
    await openArticle(publisher, TITLE);
    await expect(publisher.getByTestId('review-status')).toHaveText('已审核');
    const tab = publisher.getByRole('tab', { name: '发布', exact: true });
    await tab.click();
    await expect(tab).toHaveAttribute('aria-selected', 'true');
    const panel = publisher.getByTestId('publish-panel');
    await panel.getByRole('checkbox', { name: TARGET_LABEL }).check();
    await panel.getByRole('button', { name: '发布', exact: true }).click();
    await expect(panel.getByTestId('publish-job').first().getByTestId('job-state')).toHaveText('成功', { timeout: 30_000 });
    const pages = readdirSync(folder, { recursive: true }).map(String).filter((file) => file.endsWith('.html'));
    expect(pages.some((file) => readFileSync(join(folder, file), 'utf8').includes(TITLE))).toBe(true);
    await syncNow(publisher);
    await expect(phase(publisher)).toHaveText('已同步', { timeout: 30_000 });

    // ── Back on the writer's desktop: the publication arrived with the next round. ──
    await syncNow(writer);
    await writer.getByRole('button', { name: '文稿列表', exact: true }).click();
    await expect(writer.getByRole('row', { name: new RegExp(TITLE) })).toContainText('已发布', { timeout: 20_000 });
    await expect(phase(writer)).toHaveText('已同步');
  } finally {
    for (const host of hosts) await host.stop();
    if (server) await server.stop();
    for (const dir of [folder, ...Object.values(workspaces)]) rmSync(dir, { recursive: true, force: true });
  }
});
