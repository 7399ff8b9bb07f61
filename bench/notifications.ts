/*
 * The bell's poll: notifications:list for a writer, a reviewer and a
 * publisher on a workspace of 1,000 articles with signed records (a mix of
 * drafts, returned, in review and approved), cold (every record verified once)
 * and warm (what every 20-second poll costs: one stat per submitted article),
 * and publish:pending. Run with `npx tsx bench/notifications.ts [articles]`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openWorkspace } from '../node/services';
import type { CallContext, Channel, ResponseOf } from '../shared/api/contract';
import { quantile, time } from './stats';

const COUNT = Number(process.argv[2] ?? 1000);
const dir = mkdtempSync(join(tmpdir(), 'gazette-bench-notify-'));
const workspace = await openWorkspace(dir, { scrypt: { N: 1024, r: 8, p: 1 }, autoStartOutbox: false });
const ctx = (who: string): CallContext => ({ transport: 'http', sessionId: `http:${who}` });
async function call<C extends Channel>(who: string, channel: C, payload: unknown): Promise<ResponseOf<C>> {
  const reply = await workspace.dispatch(channel, payload, ctx(who));
  if (!reply.ok) throw new Error(`${who} ${channel}: ${reply.error.code} ${reply.error.detail}`);
  return reply.value as ResponseOf<C>;
}

try {
  await call('admin', 'session:setup', { name: '管理员', unit: '', password: 'pw-admin-secret' });
  for (const [who, name, role] of [
    ['writer', '张撰稿', 'writer'],
    ['reviewer', '李审核', 'reviewer'],
    ['publisher', '王发布', 'publisher'],
  ] as const) {
    const person = await call('admin', 'people:save', { name, roles: [role], password: `pw-${who}-secret` });
    await call(who, 'session:signIn', { personId: person.id, password: `pw-${who}-secret` });
  }
  await call('admin', 'review:chainSave', { stages: [{ id: 'final', name: '终审', roles: ['reviewer'] }] });

  const started = performance.now();
  for (let i = 0; i < COUNT; i++) {
    const created = await call('writer', 'articles:create', { template: 'blank' });
    const meta = { ...created.meta, title: `第${i + 1}篇稿件`, source: '区党政办', column: ['首页', '要闻动态'], publishAt: '2021-05-20' };
    const doc = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: `第${i + 1}篇稿件的正文。` }] }] };
    await call('writer', 'articles:save', { id: created.id, meta, doc });
    const kind = i % 5; // 0 draft, 1 in review, 2 returned, 3–4 approved
    if (kind === 0) continue;
    await call('writer', 'review:submit', { id: created.id, note: '' });
    if (kind === 1) continue;
    const view = await call('reviewer', 'review:get', { id: created.id });
    if (kind === 2) await call('reviewer', 'review:requestChanges', { id: created.id, reason: '请修改', expectedHash: view.currentHash });
    else await call('reviewer', 'review:approve', { id: created.id, opinion: '同意', expectedHash: view.currentHash });
  }
  console.log(`${COUNT} articles with their records made in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  // A fresh process: nothing verified yet (the same as the app's first poll after start).
  await workspace.close();
  const cold = await openWorkspace(dir, { scrypt: { N: 1024, r: 8, p: 1 }, autoStartOutbox: false });
  const people = await cold.dispatch('session:get', {}, ctx('nobody'));
  const roster = people.ok ? (people.value as ResponseOf<'session:get'>).people : [];
  for (const [who, name] of [
    ['writer', '张撰稿'],
    ['reviewer', '李审核'],
    ['publisher', '王发布'],
  ] as const) {
    const personId = roster.find((p) => p.name === name)?.id;
    const reply = await cold.dispatch('session:signIn', { personId, password: `pw-${who}-secret` }, ctx(who));
    if (!reply.ok) throw new Error(`sign-in ${who}: ${reply.error.detail}`);
  }
  const list = async (who: string) => {
    const reply = await cold.dispatch('notifications:list', {}, ctx(who));
    if (!reply.ok) throw new Error(reply.error.detail);
    return reply.value as ResponseOf<'notifications:list'>;
  };
  const [coldMs, first] = await time(() => list('writer'));
  console.log(`notifications:list, cold (every submitted record verified): ${coldMs.toFixed(0)} ms, writer has ${first.items.length} listed, ${first.unread} unread`);
  for (const who of ['writer', 'reviewer', 'publisher']) {
    const samples: number[] = [];
    let last: ResponseOf<'notifications:list'> | null = null;
    for (let i = 0; i < 20; i++) {
      const [ms, value] = await time(() => list(who));
      samples.push(ms);
      last = value;
    }
    console.log(
      `notifications:list, warm, ${who}: median ${quantile(samples, 0.5).toFixed(1)} ms, p95 ${quantile(samples, 0.95).toFixed(1)} ms (${last?.unread} unread)`,
    );
  }
  const pending: number[] = [];
  let count = 0;
  for (let i = 0; i < 5; i++) {
    const [ms, reply] = await time(() => cold.dispatch('publish:pending', {}, ctx('publisher')));
    pending.push(ms);
    count = reply.ok ? (reply.value as ResponseOf<'publish:pending'>).count : -1;
  }
  console.log(`publish:pending: first ${pending[0]?.toFixed(0)} ms, then median ${quantile(pending.slice(1), 0.5).toFixed(0)} ms (${count} waiting)`);
  await cold.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
