// `npm run screenshots`: takes the README's pictures from the real UI — the
// built web host on a throw-away workspace, driven by Debian's Chromium.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

const root = resolve(import.meta.dirname, '..');
const out = join(root, 'docs/screenshots');
mkdirSync(out, { recursive: true });
if (!process.argv.includes('--no-build')) spawnSync('node', ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });

const workspace = mkdtempSync(join(tmpdir(), 'gazette-shots-'));
const host = spawn(process.execPath, ['dist/node/webhost.mjs', '--workspace', workspace, '--port', '0', '--print-json'], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'inherit'],
});
const info = JSON.parse(await new Promise((done) => createInterface({ input: host.stdout }).once('line', done)));

// The script's own session: the host hands out its id on the first call and a new one at sign-in.
let apiSession = null;
async function call(channel, request) {
  const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${info.token}` };
  if (apiSession) headers['X-Gazette-Session'] = apiSession;
  const response = await fetch(`${info.origin}/api/${channel}`, { method: 'POST', headers, body: JSON.stringify(request) });
  apiSession = response.headers.get('X-Gazette-Session') ?? apiSession;
  const envelope = await response.json();
  if (!envelope.ok) throw new Error(`${channel}: ${envelope.error.code} ${envelope.error.detail}`);
  return envelope.value;
}

const admin = { name: '王主任', unit: '区党政办', password: 'screenshot-pass' };
await call('session:setup', admin);

const sample = readFileSync(join(root, 'tests/fixtures/portal/sample-2021-05-20.txt'), 'utf8');
const imported = await call('import:text', { text: sample, name: 'portal-article-2021-05-20.txt' });
await call('articles:create', {
  template: 'meeting',
  input: {
    date: '2026-11-20',
    meetingName: '安全生产工作推进会',
    host: '区管委会副主任李明',
    place: '区行政中心三楼会议室',
    attendees: [
      { kind: 'person', name: '张华', title: '区党工委副书记', unit: '', role: '出席' },
      { kind: 'group', name: '各区属部门主要负责人', role: '参加' },
      { kind: 'group', name: '重点企业安全负责人', role: '参加' },
    ],
    headcount: { count: 80, approximate: true },
  },
});
await call('articles:create', { template: 'notice', input: { title: '关于做好2027年元旦春节期间值班工作的通知', date: '2026-11-25' } });
// A reviewer with one article waiting at 初审, for the review picture.
const reviewer = { name: '李初审', unit: '区党政办', password: 'screenshot-pass-2' };
await call('people:save', { name: reviewer.name, unit: reviewer.unit, roles: ['reviewer'], active: true, password: reviewer.password });
const forReview = await call('articles:create', { template: 'notice', input: { title: '关于开展冬季安全生产大检查的通知', date: '2026-11-26' } });
await call('articles:save', {
  id: forReview.id,
  meta: { ...forReview.meta, source: '区应急管理局', author: '赵文' },
  doc: {
    type: 'doc',
    content: [
      { type: 'paragraph', content: [{ type: 'text', text: '各园区、各部门：' }] },
      { type: 'paragraph', content: [{ type: 'text', text: '为切实做好冬季安全生产工作，有效防范各类事故发生，经区管委会研究，决定自2026年12月1日起在全区开展冬季安全生产大检查。现将有关事项通知如下。' }] },
      { type: 'paragraph', content: [{ type: 'text', text: '一、检查范围：全区各类生产经营单位，重点是危险化学品、建筑施工、人员密集场所和燃气使用单位。' }] },
    ],
  },
});
await call('review:submit', { id: forReview.id, note: '请审核' });
await call('articles:create', { template: 'announcement', input: { title: '经开区2026年公开招聘工作人员拟聘用人员公示', date: '2026-11-24' } });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  await page.goto(info.url);
  await page.getByLabel('人员', { exact: true }).selectOption({ label: admin.name });
  await page.getByLabel('密码', { exact: true }).fill(admin.password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.getByRole('cell', { name: /新乡经开区召开全区领导干部会议/ }).waitFor();
  await page.screenshot({ path: join(out, 'list.png') });

  await page.getByRole('cell', { name: /新乡经开区召开全区领导干部会议/ }).click();
  await page.getByRole('textbox', { name: '在此输入正文…' }).waitFor();
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(out, 'editor.png') });

  // Proofreading: a slip typed into the sample is marked while typing; the 校对 tab lists everything.
  await page.getByRole('textbox', { name: '在此输入正文…' }).click();
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('End');
  await page.keyboard.insertText('会议要求，要严格遵守中华人民共合国有关法律法规。');
  await page.locator('.gz-proof-error').first().waitFor();
  await page.getByRole('tab', { name: /校对/ }).click();
  await page.getByTestId('proof-group-error').waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(out, 'proofread.png') });

  // The portal page preview, rendered by the code that publishes it.
  await page.getByRole('button', { name: '隐藏文稿信息', exact: true }).click();
  await page.getByRole('button', { name: '预览', exact: true }).click();
  await page.frameLocator('iframe.preview-frame').locator('h1').first().waitFor();
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(out, 'preview.png') });
  await page.getByRole('button', { name: '关闭预览', exact: true }).click();
  await page.getByRole('button', { name: '显示文稿信息', exact: true }).click();

  await page.getByRole('button', { name: '文稿列表', exact: true }).click();
  await page.getByRole('button', { name: '导入', exact: true }).click();
  await page.getByRole('tab', { name: '粘贴文本', exact: true }).click();
  await page.getByLabel('网页文本').fill(sample.replace('时间:2021-05-20 来源:区党政办', '来源:区党政办'));
  await page.getByRole('button', { name: '识别并导入' }).click();
  await page.getByText('未识别到发布日期').first().waitFor();
  await page.screenshot({ path: join(out, 'import.png') });
  await page.getByRole('dialog').getByRole('button', { name: '关闭', exact: true }).click();

  // The reviewer's desk: their queue, and the article with stages, approve and request changes.
  await page.getByRole('button', { name: '退出登录' }).click();
  await page.getByLabel('人员', { exact: true }).selectOption({ label: reviewer.name });
  await page.getByLabel('密码', { exact: true }).fill(reviewer.password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.getByRole('button', { name: /待我审核/ }).click();
  await page.getByRole('cell', { name: /冬季安全生产大检查/ }).click();
  await page.getByRole('tab', { name: '审核', exact: true }).click();
  await page.getByRole('button', { name: /审核通过|通过/ }).first().waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(out, 'review.png') });
  console.log(`screenshots: ${out} (article ${imported.ok ? imported.article.id : 'n/a'})`);
} finally {
  await browser.close();
  host.kill('SIGTERM');
  rmSync(workspace, { recursive: true, force: true });
}
