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

async function call(channel, request) {
  const response = await fetch(`${info.origin}/api/${channel}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${info.token}` },
    body: JSON.stringify(request),
  });
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

  await page.getByRole('button', { name: '文稿列表', exact: true }).click();
  await page.getByRole('button', { name: '导入', exact: true }).click();
  await page.getByRole('tab', { name: '粘贴文本', exact: true }).click();
  await page.getByLabel('网页文本').fill(sample.replace('时间:2021-05-20 来源:区党政办', '来源:区党政办'));
  await page.getByRole('button', { name: '识别并导入' }).click();
  await page.getByText('未识别到发布日期').first().waitFor();
  await page.screenshot({ path: join(out, 'import.png') });
  console.log(`screenshots: ${out} (article ${imported.ok ? imported.article.id : 'n/a'})`);
} finally {
  await browser.close();
  host.kill('SIGTERM');
  rmSync(workspace, { recursive: true, force: true });
}
