import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/** Writer and reviewer created with the CLI; an article drafted, submitted and approved at 初审 through the API. */
async function prepare(): Promise<string> {
  process.env.GAZETTE_PASSWORD = 'writer-password';
  expect((await runCli('people', 'add', '--name', '张撰稿', '--roles', 'writer', '--workspace', wsA)).code).toBe(0);
  process.env.GAZETTE_PASSWORD = 'reviewer-password';
  const added = await runCli('people', 'add', '--name', '李审核', '--roles', 'reviewer', '--unit', '区委宣传部', '--workspace', wsA, '--json');
  expect(added.code).toBe(0);
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

    // Workspace B does not trust A's keys yet: import refused, nothing created.
    const untrusted = await runCli('package', 'import', file, '--workspace', wsB);
    expect(untrusted.code).toBe(1);
    expect((await runCli('list', '--workspace', wsB, '--json')).stdout.trim()).toBe('[]');

    const a = await openWorkspace(wsA);
    const keys = await a.dispatch('keys:exportTrusted', {}, { transport: 'cli', sessionId: 'cli' });
    await a.close();
    const b = await openWorkspace(wsB);
    if (!keys.ok) throw new Error(keys.error.detail);
    await b.dispatch('keys:importTrusted', { text: (keys.value as { content: string }).content }, { transport: 'cli', sessionId: 'cli' });
    await b.close();

    const imported = await runCli('package', 'import', file, '--workspace', wsB, '--json');
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout).items).toEqual([expect.objectContaining({ outcome: 'created', articleId: id })]);

    const status = await runCli('review', 'status', id, '--workspace', wsB, '--json');
    expect(status.code).toBe(0);
    const parsed = JSON.parse(status.stdout);
    expect(parsed).toMatchObject({ id, title: '命令行测试', status: 'in_review', stage: '复审', fullyApproved: false });
    expect(parsed.approvals).toEqual([expect.objectContaining({ stage: '初审', by: '李审核', current: true, signed: true })]);

    expect((await runCli('review', 'status', 'NoSuchArticle', '--workspace', wsB, '--json')).code).toBe(1);
  });

  it('keeps the commands that predate sign-in working without --as', async () => {
    const listed = await runCli('list', '--workspace', wsA, '--json');
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([]);
    expect((await runCli('package', 'verify', join(root, 'missing'), '--workspace', wsA)).code).toBe(1);
    delete process.env.GAZETTE_PASSWORD;
    expect((await runCli('people', 'add', '--name', 'X', '--roles', 'writer', '--workspace', wsA)).code).toBe(2);
  });
});
