import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArticleStatus } from '../../../shared/domain/article';
import { createOffice, docOf, draft, type Office, snapshot } from '../../support/review-api';

/*
 * Every role × every transition, through the API dispatcher. The chain names
 * r1 alone for 初审, so r2 is "a reviewer not on the stage" for an article
 * waiting there (but is on 复审/终审, hence a participant who may comment).
 */

let office: Office;

beforeAll(async () => {
  office = await createOffice(
    [
      { who: 'writer', name: '撰稿人', roles: ['writer'] },
      { who: 'r1', name: '初审人', roles: ['reviewer'] },
      { who: 'publisher', name: '发布人', roles: ['publisher'] },
      { who: 'adminOnly', name: '纯管理员', roles: ['admin'] },
      { who: 'r2', name: '他环节审核人', roles: ['reviewer'] },
    ],
  );
  // 初审 names r1 by id (known only once r1 exists); the other stages are open to every reviewer.
  const chain = await office.value('admin', 'review:chainGet', {});
  const r1 = office.people.r1?.id ?? '';
  await office.value('admin', 'review:chainSave', {
    ...chain,
    stages: chain.stages.map((s) => (s.id === 'first' ? { ...s, roles: [], people: [r1] } : s)),
  });
}, 60_000);

afterAll(async () => {
  await office.close();
});

const ACTORS = ['writer', 'r1', 'publisher', 'adminOnly', 'r2'] as const;
type Actor = (typeof ACTORS)[number];
const TRANSITIONS = ['submit', 'approve', 'requestChanges', 'comment', 'editWhileLocked', 'saveSettings', 'managePeople'] as const;
type Transition = (typeof TRANSITIONS)[number];
type Expected = 'ok' | 'forbidden' | 'conflict';

const MATRIX: Record<Transition, Record<Actor, Expected>> = {
  submit: { writer: 'ok', r1: 'forbidden', publisher: 'forbidden', adminOnly: 'forbidden', r2: 'forbidden' },
  approve: { writer: 'forbidden', r1: 'ok', publisher: 'forbidden', adminOnly: 'forbidden', r2: 'forbidden' },
  requestChanges: { writer: 'forbidden', r1: 'ok', publisher: 'forbidden', adminOnly: 'forbidden', r2: 'forbidden' },
  comment: { writer: 'ok', r1: 'ok', publisher: 'forbidden', adminOnly: 'forbidden', r2: 'ok' },
  editWhileLocked: { writer: 'forbidden', r1: 'ok', publisher: 'forbidden', adminOnly: 'forbidden', r2: 'forbidden' },
  saveSettings: { writer: 'forbidden', r1: 'forbidden', publisher: 'forbidden', adminOnly: 'ok', r2: 'forbidden' },
  managePeople: { writer: 'forbidden', r1: 'forbidden', publisher: 'forbidden', adminOnly: 'ok', r2: 'forbidden' },
};

/** A fresh article: a draft for submit, waiting at 初审 for everything else. */
async function fixtureFor(transition: Transition): Promise<{ id: string; hash: string; status: ArticleStatus }> {
  const article = await draft(office, 'writer', `矩阵-${transition}`, '正文第一段。', '正文第二段。');
  if (transition === 'submit') {
    const view = await office.value('writer', 'review:get', { id: article.id });
    return { id: article.id, hash: view.currentHash, status: 'draft' };
  }
  const view = await office.value('writer', 'review:submit', { id: article.id, note: '' });
  return { id: article.id, hash: view.currentHash, status: 'in_review' };
}

async function attempt(actor: string, transition: Transition, id: string, hash: string) {
  const settings = await office.value('admin', 'settings:get', {});
  switch (transition) {
    case 'submit':
      return office.call(actor, 'review:submit', { id, note: '' });
    case 'approve':
      return office.call(actor, 'review:approve', { id, opinion: '同意', expectedHash: hash });
    case 'requestChanges':
      return office.call(actor, 'review:requestChanges', { id, reason: '请修改', expectedHash: hash });
    case 'comment':
      return office.call(actor, 'review:comment', { id, body: '意见' });
    case 'editWhileLocked': {
      const article = await office.value('admin', 'articles:get', { id });
      return office.call(actor, 'articles:save', { id, meta: article.meta, doc: docOf('改写后的正文。') });
    }
    case 'saveSettings':
      return office.call(actor, 'settings:save', settings);
    case 'managePeople':
      return office.call(actor, 'people:save', { name: `新人-${actor}-${Math.random()}`, roles: ['writer'], password: 'initial-pw' });
  }
}

describe('permission matrix through the API', () => {
  for (const transition of TRANSITIONS) {
    for (const actor of ACTORS) {
      const expected = MATRIX[transition][actor];
      it(`${transition} by ${actor}: ${expected}`, async () => {
        const { id, hash } = await fixtureFor(transition);
        const folder = `articles/${id}/`;
        const before = [...snapshot(office.dir)].filter(([path]) => path.startsWith(folder));
        const reply = await attempt(actor, transition, id, hash);
        if (expected === 'ok') {
          expect(reply, JSON.stringify(reply)).toMatchObject({ ok: true });
          return;
        }
        expect(reply).toMatchObject({ ok: false, error: { code: expected } });
        if (!reply.ok) expect(reply.error.detail).toMatch(/[\u4e00-\u9fff]/);
        const after = [...snapshot(office.dir)].filter(([path]) => path.startsWith(folder));
        expect(after).toEqual(before);
      });
    }
  }

  it('refuses everything but session:*, settings:get and workspace:info without a session', async () => {
    const { id, hash } = await fixtureFor('approve');
    const anonymous = 'nobody';
    const refused: [string, unknown][] = [
      ['articles:list', {}],
      ['articles:get', { id }],
      ['articles:create', { template: 'blank' }],
      ['review:approve', { id, opinion: '', expectedHash: hash }],
      ['review:queue', {}],
      ['people:list', {}],
      ['package:export', { ids: [id] }],
    ];
    for (const [channel, payload] of refused) {
      expect(await office.call(anonymous, channel as 'articles:list', payload), channel).toMatchObject({
        ok: false,
        error: { code: 'unauthorized', detail: '请先登录后再操作' },
      });
    }
    expect(await office.call(anonymous, 'settings:get', {})).toMatchObject({ ok: true });
    expect(await office.call(anonymous, 'workspace:info', {})).toMatchObject({ ok: true });
    const session = await office.value(anonymous, 'session:get', {});
    expect(session.person).toBeNull();
    expect(session.needsSetup).toBe(false);
    expect(session.people.map((p) => p.name)).toContain('初审人');
  });

  it('submit of an article already in review is a state conflict, not a permission error', async () => {
    const { id } = await fixtureFor('approve');
    expect(await office.call('writer', 'review:submit', { id, note: '' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('a signed-out or deactivated person can do nothing', async () => {
    const { id } = await fixtureFor('comment');
    await office.value('r2', 'session:signOut', {});
    expect(await office.call('r2', 'review:comment', { id, body: '意见' })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    const p = office.people.publisher;
    await office.value('admin', 'people:save', { id: p?.id, name: p?.name, roles: p?.roles, active: false });
    expect(await office.call('publisher', 'articles:list', {})).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    const signIn = await office.call('publisher', 'session:signIn', { personId: p?.id, password: 'pw-publisher-secret' });
    expect(signIn).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });

  it('lets a person change their own password with the old one, and an admin reset it (with a new signing key)', async () => {
    const r2 = office.people.r2?.id ?? '';
    await office.value('r2', 'session:signIn', { personId: r2, password: 'pw-r2-secret' });
    const wrongOld = await office.call('r2', 'people:setPassword', { personId: r2, oldPassword: 'not-it', newPassword: 'new-password-1' });
    expect(wrongOld).toMatchObject({ ok: false, error: { code: 'unauthorized', detail: '原密码不正确，密码未修改' } });
    await office.value('r2', 'people:setPassword', { personId: r2, oldPassword: 'pw-r2-secret', newPassword: 'new-password-1' });
    expect(await office.call('x', 'session:signIn', { personId: r2, password: 'pw-r2-secret' })).toMatchObject({ ok: false });
    await office.value('x', 'session:signIn', { personId: r2, password: 'new-password-1' });
    const keyBefore = (await office.value('admin', 'people:list', {})).find((p) => p.id === r2)?.keyId;

    expect(await office.call('writer', 'people:setPassword', { personId: r2, newPassword: 'hijacked-pw' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    await office.value('admin', 'people:setPassword', { personId: r2, newPassword: 'reset-password' });
    await office.value('x', 'session:signIn', { personId: r2, password: 'reset-password' });
    const keyAfter = (await office.value('admin', 'people:list', {})).find((p) => p.id === r2)?.keyId;
    expect(keyAfter).not.toBe(keyBefore);
    // The old key stays trusted so approvals it signed still verify.
    const trusted = JSON.parse((await office.value('admin', 'keys:exportTrusted', {})).content) as { keys: { keyId: string }[] };
    expect(trusted.keys.map((k) => k.keyId)).toEqual(expect.arrayContaining([keyBefore, keyAfter]));
  });
});
