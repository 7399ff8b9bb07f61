import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli-harness';
import { openWorkspace } from '../../../node/services';
import type { CallContext } from '../../../shared/api/contract';
import { docOf } from '../../support/review-api';

let root: string;
let wsA: string;
let wsB: string;
const savedPassword = process.env.GAZETTE_PASSWORD;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'gazette-cli-review-'));
  wsA = join(root, 'a');
  wsB = join(root, 'b');
});

afterEach(() => {
  if (savedPassword === undefined) delete process.env.GAZETTE_PASSWORD;
  else process.env.GAZETTE_PASSWORD = savedPassword;
  rmSync(root, { recursive: true, force: true });
});

/** The office set up, writer and reviewer added with the CLI; an article drafted, submitted and approved at 初审 through the API. */
async function prepare(): Promise<string> {
  process.env.GAZETTE_PASSWORD = 'admin-password';
  const setup = await runCli('office', 'setup', '--name', '管理员', '--workspace', wsA);
  expect(setup.code, setup.stderr).toBe(0);
  const adminPassword = join(root, 'admin-pw.txt');
  writeFileSync(adminPassword, 'admin-password\n');
  process.env.GAZETTE_PASSWORD = 'writer-password';
  const asAdmin = ['--as', '管理员', '--password-file', adminPassword];
  expect((await runCli('people', 'add', '--name', '张撰稿', '--roles', 'writer', '--workspace', wsA, ...asAdmin)).code).toBe(0);
  process.env.GAZETTE_PASSWORD = 'reviewer-password';
  const added = await runCli('people', 'add', '--name', '李审核', '--roles', 'reviewer', '--unit', '区委宣传部', '--workspace', wsA, '--json', ...asAdmin);
  expect(added.code, added.stderr).toBe(0);
  expect(JSON.parse(added.stdout)).toMatchObject({ name: '李审核', roles: ['reviewer'], unit: '区委宣传部' });

  const workspace = await openWorkspace(wsA);
  try {
    const writer: CallContext = { transport: 'http', sessionId: 'w' };
    const reviewer: CallContext = { transport: 'http', sessionId: 'r' };
    await workspace.identity.signInAs('张撰稿', 'writer-password', writer);
    await workspace.identity.signInAs('李审核', 'reviewer-password', reviewer);
    const call = async (channel: string, payload: unknown, context: CallContext) => {
      const reply = await workspace.dispatch(channel, payload, context);
      if (!reply.ok) throw new Error(reply.error.detail);
      return reply.value as { id: string; meta: unknown; currentHash: string };
    };
    const created = await call('articles:create', { template: 'blank' }, writer);
    await call('articles:save', { id: created.id, meta: { ...(created.meta as object), title: '命令行测试' }, doc: docOf('正文。') }, writer);
    await call('review:submit', { id: created.id, note: '' }, writer);
    const view = await call('review:get', { id: created.id }, reviewer);
    await call('review:approve', { id: created.id, opinion: '同意', expectedHash: view.currentHash }, reviewer);
    return created.id;
  } finally {
    await workspace.close();
  }
}

describe('gazette package / review / people', () => {
  it('exports, verifies and imports a package, and reports review status', async () => {
    const id = await prepare();
    const file = join(root, 'out.gazette-package');

    process.env.GAZETTE_PASSWORD = 'wrong-password';
    const refused = await runCli('package', 'export', id, '-o', file, '--workspace', wsA, '--as', '李审核');
    // The message rides along so a failure says what the CLI printed.
    expect({ code: refused.code, stderr: refused.stderr }).toMatchObject({ code: 1, stderr: expect.stringContaining('密码不正确') });

    expect((await runCli('package', 'export', id, '-o', file, '--workspace', wsA)).code).toBe(2);

    const passwordFile = join(root, 'pw.txt');
    writeFileSync(passwordFile, 'reviewer-password\n');
    delete process.env.GAZETTE_PASSWORD;
    const exported = await runCli('package', 'export', id, '-o', file, '--workspace', wsA, '--as', '李审核', '--password-file', passwordFile);
    expect(exported.code, exported.stderr).toBe(0);

    const verified = await runCli('package', 'verify', file, '--workspace', wsA);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain('传输包签名有效');
    expect(verified.stdout).toContain('“初审”');

    const tampered = join(root, 'tampered.gazette-package');
    const bytes = readFileSync(file);
    const at = bytes.indexOf(Buffer.from('"value":"')) + 20;
    bytes[at] = bytes[at] === 0x41 ? 0x42 : 0x41;
    writeFileSync(tampered, bytes);
    const bad = await runCli('package', 'verify', tampered, '--workspace', wsA);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('✗');

    // Workspace B is another office (its own root key): import refused, nothing created.
    process.env.GAZETTE_PASSWORD = 'other-admin';
    expect((await runCli('office', 'setup', '--name', '外单位管理员', '--workspace', wsB)).code).toBe(0);
    const foreign = await runCli('package', 'import', file, '--workspace', wsB);
    expect(foreign.code).toBe(1);
    expect(foreign.stderr).toContain('另一个办公室');
    expect((await runCli('list', '--workspace', wsB, '--json')).stdout.trim()).toBe('[]');

    // Workstation C of the same office (its office folder and people file copied): the package verifies there.
    const wsC = join(root, 'c');
    mkdirSync(wsC);
    cpSync(join(wsA, 'office'), join(wsC, 'office'), { recursive: true });
    cpSync(join(wsA, 'people.json'), join(wsC, 'people.json'));
    const imported = await runCli('package', 'import', file, '--workspace', wsC, '--json');
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout).items).toEqual([expect.objectContaining({ outcome: 'created', articleId: id })]);

    const status = await runCli('review', 'status', id, '--workspace', wsC, '--json');
    expect(status.code).toBe(0);
    const parsed = JSON.parse(status.stdout);
    expect(parsed).toMatchObject({ id, title: '命令行测试', status: 'in_review', stage: '复审', fullyApproved: false, recordIntact: true });
    expect(parsed.approvals).toEqual([expect.objectContaining({ stage: '初审', by: '李审核', current: true })]);

    expect((await runCli('review', 'status', 'NoSuchArticle', '--workspace', wsC, '--json')).code).toBe(1);

    // gazette verify: every check printed, exit 0; a forged line in the record makes it exit 1 and say why.
    const checked = await runCli('verify', id, '--workspace', wsC);
    expect(checked.code, checked.stdout).toBe(0);
    expect(checked.stdout).toContain('签名记录的签名、密钥有效期、审核资格与哈希链全部验证通过');
    expect(checked.stdout).toContain('“初审”：李审核');
    // A 审核表's QR text: the article is only through 初审, so the sheet cannot authorise anything.
    const sheetCode = `gazette:verify:${id}:${parsed.currentHash}`;
    const sheet = await runCli('verify', sheetCode, '--workspace', wsC);
    expect(sheet.code).toBe(1);
    expect(sheet.stdout).toContain('审核表所对应的内容尚未（或不再）通过全部审核环节');
    const recordFile = join(wsC, 'articles', id, 'record.jsonl');
    const lines = readFileSync(recordFile, 'utf8').split('\n');
    writeFileSync(recordFile, `${lines[0]!.replace('"note":""', '"note":"改过"')}\n${lines.slice(1).join('\n')}`);
    const forged = await runCli('verify', '--all', '--workspace', wsC, '--json');
    expect(forged.code).toBe(1);
    const report = JSON.parse(forged.stdout);
    expect(report.articles[0].problems.join('')).toMatch(/签名/);
    const forgedStatus = JSON.parse((await runCli('review', 'status', id, '--workspace', wsC, '--json')).stdout);
    expect(forgedStatus).toMatchObject({ recordIntact: false, fullyApproved: false, status: 'draft' });
  });

  it('keeps the commands that predate sign-in working without --as', async () => {
    const listed = await runCli('list', '--workspace', wsA, '--json');
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([]);
    expect((await runCli('package', 'verify', join(root, 'missing'), '--workspace', wsA)).code).toBe(1);
    delete process.env.GAZETTE_PASSWORD;
    expect((await runCli('people', 'add', '--name', 'X', '--roles', 'writer', '--workspace', wsA)).code).toBe(2);
    process.env.GAZETTE_PASSWORD = 'x-password';
    // --as without the administrator's password file is a usage error, not a guess.
    expect((await runCli('people', 'add', '--name', 'X', '--roles', 'writer', '--as', '管理员', '--workspace', wsA)).code).toBe(2);
  });
});
