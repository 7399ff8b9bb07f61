import AxeBuilder from '@axe-core/playwright';
import type { Page, TestInfo } from '@playwright/test';
import { rmSync } from 'node:fs';
import { call } from './api';
import { draftArticle } from './articles';
import { expect, launchHost, makeWorkspaceDir, test } from './host';
import { ADMIN, addPerson, setupAdmin, signIn } from './session';

/** The standard the office is held to: WCAG 2.1 level AA (and the A criteria under it). */
const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * axe-core on the page as it stands: every serious or critical violation as one
 * readable line (rule, element, what is wrong), so a failure says what to fix.
 */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_21_AA).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .flatMap((violation) =>
      violation.nodes.map(
        (node) => `${violation.id} (${violation.impact}) at ${node.target.join(' ')}: ${node.failureSummary?.replace(/\s+/g, ' ') ?? violation.help}`,
      ),
    );
}

/** WCAG's contrast ratio of two CSS colours given as rgb()/rgba() (opaque ones, as the badges use). */
function contrast(foreground: string, background: string): number {
  const luminance = (color: string) => {
    const [r = 0, g = 0, b = 0] = (color.match(/[\d.]+/g) ?? []).map(Number).map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [high, low] = [luminance(foreground), luminance(background)].sort((a, b) => b - a);
  return ((high ?? 0) + 0.05) / ((low ?? 0) + 0.05);
}

/**
 * The count badges hold one or two figures, too short for axe to judge ("incomplete"), so
 * their contrast is measured here: small text needs 4.5:1.
 */
async function expectReadableBadge(page: Page, testId: string): Promise<void> {
  const colours = await page.getByTestId(testId).evaluate((badge) => {
    const style = getComputedStyle(badge);
    return { color: style.color, background: style.backgroundColor };
  });
  expect.soft(contrast(colours.color, colours.background), `${testId}: contrast of ${colours.color} on ${colours.background}`).toBeGreaterThanOrEqual(4.5);
}

/** Checks one screen (soft, so one run lists every screen's problems), keeping a screenshot of it beside the results. */
async function checkScreen(page: Page, screen: string, testInfo: TestInfo): Promise<void> {
  // Let transitions and late renders settle: axe reads the colours the user sees.
  await page.waitForTimeout(300);
  await page.screenshot({ path: testInfo.outputPath(`${screen.replace(/[^\p{L}\p{N}]+/gu, '-')}.png`) });
  const found = await seriousViolations(page);
  expect.soft(found, `${screen}: axe found serious or critical violations`).toEqual([]);
}

// A step that cannot be taken fails fast, so the soft findings of the screens before it are reported.
test.use({ actionTimeout: 15_000 });

/**
 * The portal page and the 审核表 are shown in frames sandboxed with no permissions, where axe
 * cannot run (the page's own check skips them); their HTML is checked on a page of its own,
 * as a reader of the published site or of the printed sheet gets it.
 */
async function checkFramedDocument(
  page: Page,
  frame: string,
  screen: string,
  testInfo: TestInfo,
  viewport = { width: 1440, height: 900 },
): Promise<void> {
  const html = await page.locator(frame).getAttribute('srcdoc');
  expect(html, `${screen}: the frame has its document`).toBeTruthy();
  const alone = await page.context().newPage();
  try {
    await alone.setViewportSize(viewport);
    await alone.setContent(html ?? '');
    await checkScreen(alone, screen, testInfo);
  } finally {
    await alone.close();
  }
}

const PASSWORD = 'a11y-pass-2021';
const REVIEWER = '李初审';

function body(page: Page) {
  return page.getByRole('textbox', { name: '在此输入正文…' });
}

const MEETING = '区管委会召开安全生产工作会议';
const NOTICE = '关于做好元旦春节期间值班工作的通知';


test('axe: the writer’s screens in Chinese — list, editor, proofreading, image, preview, publish, dialogs, trash, settings', async ({
  page,
  host,
}, testInfo) => {
  test.setTimeout(240_000);
  const admin = await setupAdmin(host);
  await call(host, 'people:save', { id: admin.id, name: admin.name, unit: admin.unit, roles: ['admin', 'writer', 'publisher'], active: true });
  const site = await call(host, 'sites:get', { id: 'main' });
  await call(host, 'sites:save', { ...site, targets: [{ kind: 'static-folder', id: 'local', label: '本地网站文件夹', folder: testInfo.outputPath('site') }] });
  await draftArticle(host, MEETING, '会议强调，要压实安全生产责任，全面排查风险隐患。', '区党政办', true);
  await draftArticle(host, NOTICE, '各单位要认真落实值班制度。');
  await signIn(page, host, ADMIN.name, ADMIN.password);
  const check = (screen: string) => checkScreen(page, screen, testInfo);

  await expect(page.getByRole('cell', { name: MEETING })).toBeVisible();
  await check('article list');

  await page.getByRole('button', { name: '新建', exact: true }).click();
  await expect(page.getByRole('dialog', { name: '新建文稿' })).toBeVisible();
  await check('new article dialog');
  await page.keyboard.press('Escape');

  await page.getByRole('button', { name: '导入', exact: true }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await check('import dialog');
  const importTabs = page.getByRole('dialog').getByRole('tab');
  for (let i = 0; i < (await importTabs.count()); i++) {
    await importTabs.nth(i).click();
    await check(`import dialog, tab ${(await importTabs.nth(i).textContent()) ?? i}`);
  }
  await page.getByRole('dialog').getByRole('button', { name: '关闭', exact: true }).click();

  await page.getByRole('button', { name: '导入审核包' }).click();
  await expect(page.getByRole('dialog', { name: '导入审核包' })).toBeVisible();
  await check('package import dialog');
  await page.getByRole('dialog').getByRole('button', { name: '关闭' }).click();

  await page.getByRole('button', { name: /^通知/ }).click();
  await check('notifications');
  await page.keyboard.press('Escape');

  // The editor with text, a proofreading mark and the metadata panel.
  await page.getByRole('cell', { name: MEETING }).click();
  await expect(page.getByRole('heading', { name: MEETING, level: 1 })).toBeVisible();
  await body(page).click();
  await page.keyboard.press('Control+End');
  await page.keyboard.insertText('会议学习了中华人民共合国宪法,要求各单位认真落实。');
  await expect(page.locator('.gz-proof-error').first()).toBeVisible({ timeout: 5_000 });
  await expect(page.getByTestId('save-status')).toContainText('已保存', { timeout: 5_000 });
  await check('editor with metadata');
  await page.getByRole('tab', { name: /校对/ }).click();
  await expect(page.getByTestId('proof-group-error')).toBeVisible();
  await check('editor, proofreading list');

  for (const [button, screen] of [
    ['保存版本', 'save version dialog'],
    ['版本', 'versions dialog'],
    ['版本对比', 'compare versions dialog'],
    ['提交审核', 'proofreading gate before submitting'],
  ] as const) {
    await page.getByRole('button', { name: button, exact: true }).click();
    await expect(page.getByRole('dialog')).toBeVisible();
    await check(screen);
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toBeHidden();
  }

  await page.locator('.gz-image-frame').click();
  await expect(page.getByRole('dialog', { name: '编辑图片信息' })).toBeVisible();
  await check('image dialog');
  await page.getByRole('dialog', { name: '编辑图片信息' }).getByRole('button', { name: '取消' }).click();

  // The portal page in its preview frame, then the publish panel.
  await page.getByRole('button', { name: '预览', exact: true }).click();
  await expect(page.frameLocator('iframe.preview-frame').locator('h1')).toHaveText(MEETING);
  await check('preview');
  await checkFramedDocument(page, 'iframe.preview-frame', 'portal page (desktop)', testInfo);
  await page.getByRole('button', { name: '手机', exact: true }).click();
  await expect(page.locator('iframe.preview-frame')).toHaveAttribute('data-device', 'mobile');
  const phone = { width: 390, height: 844 };
  await checkFramedDocument(page, 'iframe.preview-frame', 'portal page (mobile)', testInfo, phone);
  await page.getByRole('checkbox', { name: '长者模式' }).check();
  await checkFramedDocument(page, 'iframe.preview-frame', 'portal page (长者模式)', testInfo, phone);
  await page.getByRole('button', { name: '关闭预览', exact: true }).click();
  await page.getByRole('tab', { name: '发布', exact: true }).click();
  await expect(page.getByTestId('publish-panel')).toBeVisible();
  await check('publish panel');

  await page.getByRole('button', { name: '删除', exact: true }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await check('confirm dialog (move to trash)');
  await page.getByRole('dialog').getByRole('button', { name: '移到回收站', exact: true }).click();

  await page.getByRole('button', { name: '回收站', exact: true }).click();
  await expect(page.getByRole('heading', { name: '回收站', level: 1 })).toBeVisible();
  await expect(page.getByText(MEETING).first()).toBeVisible();
  await check('trash');

  await page.getByRole('button', { name: '待发布', exact: true }).click();
  await check('to publish');

  // Settings is one page: language, columns, units, 审核表, people and stages, sites and targets, rule packs.
  await page.getByRole('button', { name: '设置', exact: true }).click();
  await expect(page.getByRole('heading', { name: '设置', level: 1 })).toBeVisible();
  await check('settings');
  await page.getByRole('button', { name: '添加人员' }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await check('add person dialog');
  await page.keyboard.press('Escape');
});

test('axe: the reviewer’s desk in Chinese — queue, an article in review with a comment, approve, 审核表', async ({ page, host }, testInfo) => {
  test.setTimeout(180_000);
  await setupAdmin(host);
  await addPerson(host, { name: REVIEWER, unit: '区党政办', roles: ['reviewer'], password: PASSWORD });
  const article = await draftArticle(host, NOTICE, '各单位要认真落实安全生产责任制，全面排查风险隐患。');
  await call(host, 'review:submit', { id: article.id, note: '请审核' });
  await call(host, 'review:comment', { id: article.id, body: '请写明值班电话。', anchor: { quote: '安全生产责任制' } });
  const check = (screen: string) => checkScreen(page, screen, testInfo);

  await signIn(page, host, REVIEWER, PASSWORD);
  await page.getByRole('button', { name: /待我审核/ }).click();
  await expect(page.getByTestId('queue-count')).toHaveText('1');
  await check('review queue');
  await expectReadableBadge(page, 'queue-count');
  await expectReadableBadge(page, 'bell-count');
  await page.getByRole('button', { name: NOTICE }).click();
  await expect(page.getByTestId('review-status')).toBeVisible();
  await expect(page.getByTestId('review-comment')).toContainText('请写明值班电话。');
  await check('review screen with a comment');
  await page.getByRole('tab', { name: '审核记录' }).click();
  await check('review record');
  await page.getByRole('tab', { name: '审核意见' }).click();
  await page.getByRole('button', { name: '通过', exact: true }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await check('approve dialog');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: '退回修改', exact: true }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await check('request changes dialog');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: '审核表' }).click();
  await expect(page.frameLocator('iframe.signoff-frame').locator('body')).toContainText(NOTICE);
  await check('审核表 dialog');
  await checkFramedDocument(page, 'iframe.signoff-frame', '审核表 sheet', testInfo);
});

test('axe: one pass in English — list, editor, preview, dialogs, settings', async ({ page, host }, testInfo) => {
  test.setTimeout(180_000);
  await setupAdmin(host);
  await draftArticle(host, MEETING, '会议强调，要压实安全生产责任，全面排查风险隐患。', '区党政办', true);
  await signIn(page, host, ADMIN.name, ADMIN.password);
  const check = (screen: string) => checkScreen(page, screen, testInfo);

  await page.getByRole('button', { name: '设置', exact: true }).click();
  await page.getByLabel('界面语言').selectOption('en');
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  await check('settings (English)');

  await page.getByRole('button', { name: 'Articles', exact: true }).click();
  await expect(page.getByRole('cell', { name: MEETING })).toBeVisible();
  await check('article list (English)');
  await page.getByRole('button', { name: 'New', exact: true }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await check('new article dialog (English)');
  await page.keyboard.press('Escape');

  await page.getByRole('cell', { name: MEETING }).click();
  await expect(page.getByRole('heading', { name: MEETING, level: 1 })).toBeVisible();
  await check('editor (English)');
  await page.locator('.gz-image-frame').click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await check('image dialog (English)');
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('button', { name: 'Preview', exact: true }).click();
  await expect(page.frameLocator('iframe.preview-frame').locator('h1')).toHaveText(MEETING);
  await check('preview (English)');
});

test('axe: first run (new office or join a server), sign-in, a meeting’s metadata, print preview', async ({ page, host }, testInfo) => {
  test.setTimeout(180_000);
  const check = (screen: string) => checkScreen(page, screen, testInfo);

  // A workspace not set up yet opens on the first-run choice.
  const freshDir = makeWorkspaceDir();
  const fresh = await launchHost(freshDir);
  try {
    await page.goto(fresh.url);
    await expect(page.getByRole('button', { name: '加入办公室服务器' })).toBeVisible();
    await check('first run, new office');
    await page.getByRole('button', { name: '加入办公室服务器' }).click();
    await check('first run, join an office server');
  } finally {
    await fresh.stop();
    rmSync(freshDir, { recursive: true, force: true });
  }

  await setupAdmin(host);
  await page.goto(host.url);
  await expect(page.getByRole('button', { name: '登录', exact: true })).toBeVisible();
  await check('sign-in');
  await signIn(page, host, ADMIN.name, ADMIN.password);
  await expect(page.getByRole('button', { name: '新建文稿' })).toBeVisible();
  await check('article list, empty');

  const meeting = await call(host, 'articles:create', {
    template: 'meeting',
    input: {
      date: '2026-11-20',
      meetingName: '安全生产工作推进会',
      host: '区管委会副主任李明',
      place: '区行政中心三楼会议室',
      attendees: [
        { kind: 'person', name: '张华', title: '区党工委副书记', unit: '', role: '出席' },
        { kind: 'group', name: '各区属部门主要负责人', role: '参加' },
      ],
      headcount: { count: 80, approximate: true },
    },
  });
  await page.reload();
  await page.getByRole('cell', { name: meeting.meta.title }).click();
  await expect(page.getByRole('heading', { name: meeting.meta.title, level: 1 })).toBeVisible();
  await check('editor, a meeting’s metadata with attendees');
  await page.getByRole('button', { name: '打印', exact: true }).click();
  await expect(page.getByRole('dialog', { name: '打印预览' })).toBeVisible();
  await check('print preview');
});
