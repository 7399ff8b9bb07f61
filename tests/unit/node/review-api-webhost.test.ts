import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace, type Workspace } from '../../../node/services';
import { createWebHost, type RunningWebHost } from '../../../node/webhost/server';
import type { SessionInfo } from '../../../shared/api/contract';
import { TEST_SCRYPT } from '../../support/review-api';
import { webhostBrowser } from '../../support/webhost-browser';

let root: string;
let workspace: Workspace;
let host: RunningWebHost;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'gazette-webhost-session-'));
  const rendererDir = join(root, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><div id="root"></div>');
  workspace = await openWorkspace(join(root, 'ws'), { scrypt: TEST_SCRYPT });
  host = await createWebHost({ dispatch: workspace.dispatch, assetPath: workspace.assetPath, rendererDir }).listen(0);
});

afterAll(async () => {
  await host.close();
  await workspace.close();
  rmSync(root, { recursive: true, force: true });
});

function browser() {
  return webhostBrowser(host);
}

describe('web host sessions', () => {
  it('gives each browser its own HttpOnly, SameSite=Strict session, so two people can be signed in at once', async () => {
    const first = browser();
    const { bootstrap } = await first.open();
    const setCookie = bootstrap.headers.getSetCookie().find((c) => c.startsWith(`gazette_session_${host.port}=`));
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);

    const setup = await first.api<SessionInfo>('session:setup', { name: '管理员', password: 'admin-password' });
    expect(setup).toMatchObject({ ok: true, value: { person: { name: '管理员', roles: ['admin', 'writer'] }, needsSetup: false } });
    if (!setup.ok) return;
    const created = await first.api('people:save', { name: '审核人', roles: ['reviewer'], password: 'reviewer-password' });
    expect(created.ok).toBe(true);

    const second = browser();
    await second.open();
    expect(second.sessionId).not.toBe(first.sessionId);
    const anonymous = await second.api<SessionInfo>('session:get', {});
    expect(anonymous).toMatchObject({ ok: true, value: { person: null, needsSetup: false } });
    if (!anonymous.ok) return;
    const reviewer = anonymous.value.people.find((p) => p.name === '审核人');
    expect(await second.api('articles:list', {})).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    const signedIn = await second.api<SessionInfo>('session:signIn', { personId: reviewer?.id, password: 'reviewer-password' });
    expect(signedIn).toMatchObject({ ok: true, value: { person: { name: '审核人' } } });

    expect(await first.api('session:get', {})).toMatchObject({ ok: true, value: { person: { name: '管理员' } } });
    expect(await second.api('settings:save', { locale: 'en', units: [], columns: [] })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    await second.api('session:signOut', {});
    expect(await second.api('articles:list', {})).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await first.api('articles:list', {})).toMatchObject({ ok: true });
  });
});
