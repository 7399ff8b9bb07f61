import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinOffice, OfficeSyncClient } from '../../node/services/sync/client';
import { carries, submittedRepo } from '../../node/services/sync/office-repos';
import type { SiteConfig } from '../../shared/api/contract';
import { emptyMeta } from '../../shared/domain/article';
import { addRepository, missingPackages, repositoryPath, stopServer } from '../../scripts/office-server/kit';
import { git, makeOffice, type Office, signedIn, syncSignerAt } from '../support/office-desktops';

/*
 * The office's settings — site profiles with their publishing targets, and
 * the office's proofreading rule packs — travelling through the office
 * repository between desktops run as the office runs them (the CLI for
 * rounds, the app's API for settings), against the real office server: what
 * an administrator sets reaches everyone, passwords never leave a desktop,
 * and a settings file from anyone else is refused by the server's hook and,
 * slipped onto the server behind the hook's back, by the desktop.
 */

const missing = missingPackages();
if (missing.length) console.warn(`[skip] office settings tests: missing ${missing.join(' ')} (sudo apt-get install -y git apache2 apache2-utils)`);

type Who = 'admin' | 'pub';
const UNIT = '党政办';
const WORDPRESS = { id: 'portal', kind: 'wordpress', label: '门户网站', baseUrl: 'https://portal.example.gov.cn', user: 'editor' } as const;
const PACK = {
  id: 'office-words',
  name: '本单位用语',
  kind: 'misspelling',
  source: '本办校对组',
  entries: [{ text: '经开区管委会办公室', suggestion: '经开区党政办' }],
};
const paragraph = (text: string) => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });

describe.skipIf(missing.length > 0)('site profiles and rule packs through the office server', () => {
  let o: Office<Who>;
  const a = () => o.desk('admin');
  const b = () => o.desk('pub');
  const asAdmin = <T>(act: Parameters<typeof signedIn<T>>[3]) => signedIn(a(), o.ids.admin, o.passwords.admin, act);
  const asPublisher = <T>(act: Parameters<typeof signedIn<T>>[3]) => signedIn(b(), o.ids.pub, o.passwords.pub, act);
  /** Every blob the server's office repository ever held, as text. */
  const officeHistory = () => git(['--git-dir', repositoryPath(o.serverDir, 'office'), 'log', '-p', '--all']).stdout;

  beforeAll(async () => {
    o = await makeOffice<Who>('gazette-settings-', { name: '管理员', unit: UNIT, password: 'admin-pass-2026' }, {
      pub: { name: '孙发布', unit: UNIT, roles: 'publisher', password: 'publisher-pass-2026' },
    });
    const founded = o.join(a(), 'admin');
    expect(founded.value.status, founded.run.stdout + founded.run.stderr).toBe('joined');
    const joined = o.join(b(), 'pub');
    expect(joined.value.status, joined.value.message).toBe('joined');
  }, 600_000);

  afterAll(async () => {
    if (o) {
      await stopServer(o.serverDir);
      rmSync(o.root, { recursive: true, force: true });
    }
  });

  it('a WordPress target an administrator sets reaches the publisher’s desktop without its password, and the publisher’s own password there survives the next change', async () => {
    await asAdmin(async (ws, ctx) => {
      const site = (await ws.dispatch('sites:get', { id: 'main' }, ctx)) as { ok: true; value: SiteConfig };
      const saved = await ws.dispatch('sites:save', { ...site.value, targets: [WORDPRESS] }, ctx);
      expect(saved.ok, JSON.stringify(saved)).toBe(true);
      expect((await ws.dispatch('targets:setCredential', { targetId: 'portal', secret: 'secret-of-the-admin-desk' }, ctx)).ok).toBe(true);
    });
    const sent = o.sync(a(), 'admin');
    expect(sent.value.phase, sent.run.stdout).toBe('synced');
    expect(o.ls('office')).toContain('sites/main.json');

    const got = o.sync(b(), 'pub');
    expect(got.value.phase, got.run.stdout).toBe('synced');
    expect(got.value.received).toContain('sites/main.json');
    await asPublisher(async (ws, ctx) => {
      const sites = (await ws.dispatch('sites:list', {}, ctx)) as { ok: true; value: { targets: { id: string; hasCredential: boolean }[] }[] };
      // Arrived without a password: the screen asks for it on this desktop.
      expect(sites.value[0]?.targets).toEqual([expect.objectContaining({ id: 'portal', hasCredential: false })]);
      expect((await ws.dispatch('targets:setCredential', { targetId: 'portal', secret: 'secret-of-the-publisher-desk' }, ctx)).ok).toBe(true);
    });

    // The administrator changes the target (and their own desktop's password for it).
    await asAdmin(async (ws, ctx) => {
      const site = (await ws.dispatch('sites:get', { id: 'main' }, ctx)) as { ok: true; value: SiteConfig };
      const moved = { ...WORDPRESS, label: '门户网站（新版）', baseUrl: 'https://www.example.gov.cn' };
      expect((await ws.dispatch('sites:save', { ...site.value, targets: [moved] }, ctx)).ok).toBe(true);
      expect((await ws.dispatch('targets:setCredential', { targetId: 'portal', secret: 'second-secret-of-the-admin-desk' }, ctx)).ok).toBe(true);
    });
    expect(o.sync(a(), 'admin').value.phase).toBe('synced');
    expect(o.sync(b(), 'pub').value.received).toContain('sites/main.json');
    await asPublisher(async (ws, ctx) => {
      const site = (await ws.dispatch('sites:get', { id: 'main' }, ctx)) as { ok: true; value: SiteConfig };
      expect(site.value.targets[0]).toMatchObject({ id: 'portal', label: '门户网站（新版）', baseUrl: 'https://www.example.gov.cn' });
      expect(await ws.publish.sites.secret(site.value.targets[0]!, true)).toBe('secret-of-the-publisher-desk');
    });
    // No desktop's password ever reached the server, nor the file that travels.
    const history = officeHistory();
    expect(history).toContain('https://www.example.gov.cn');
    for (const secret of ['secret-of-the-admin-desk', 'second-secret-of-the-admin-desk', 'secret-of-the-publisher-desk']) {
      expect(history).not.toContain(secret);
      expect(readFileSync(join(b(), 'sites', 'main.json'), 'utf8')).not.toContain(secret);
    }
    // Nor did the publishing outbox or the credential store travel.
    expect(o.ls('office')).not.toMatch(/^(outbox|\.secrets|index)\//m);
  }, 600_000);

  it('a rule pack an administrator adds is what the publisher’s desktop proofreads with after its next round', async () => {
    const check = () =>
      asPublisher(async (ws) => {
        const result = await ws.proofread.checkInput({ meta: emptyMeta('blank'), doc: paragraph('经开区管委会办公室召开会议。') as never });
        return result.findings.filter((f) => f.text === '经开区管委会办公室' && f.suggestion === '经开区党政办');
      });
    expect(await check()).toEqual([]);
    await asAdmin(async (ws, ctx) => {
      const saved = await ws.dispatch('proofread:savePack', { pack: PACK }, ctx);
      expect(saved.ok, JSON.stringify(saved)).toBe(true);
    });
    expect(o.sync(a(), 'admin').value.phase).toBe('synced');
    expect(o.ls('office')).toContain('rules/office-words.json');
    const got = o.sync(b(), 'pub');
    expect(got.value.received).toContain('rules/office-words.json');
    expect((await check()).length).toBe(1);
  }, 600_000);

  it('the server’s hook refuses a site profile committed by someone who is not an administrator, and keeps its branch', async () => {
    // The publisher may write the unit's submitted work; a site profile put there is refused for who wrote it.
    const repo = submittedRepo(UNIT);
    const scratch = join(o.root, 'pub-forges-submitted');
    const gitdir = join(scratch, '.git');
    const url = `${o.url}${repo.name}.git`;
    const joined = await joinOffice({ url, username: o.ids.pub, password: o.passwords.pub, dir: scratch, gitdir, scope: () => false });
    expect(joined.status).toBe('joined');
    const client = new OfficeSyncClient({
      dir: scratch,
      gitdir,
      scope: () => true,
      credentials: () => ({ username: o.ids.pub, password: o.passwords.pub }),
      signer: await syncSignerAt(b(), o.ids.pub, o.passwords.pub),
      retry: { attempts: 1 },
    });
    mkdirSync(join(scratch, 'sites'), { recursive: true });
    writeFileSync(join(scratch, 'sites', 'main.json'), readFileSync(join(b(), 'sites', 'main.json')));
    const before = o.head(repo.name);
    expect((await client.commitChanged(['sites/main.json'], '发布员改网站配置')).commit).not.toBeNull();
    const pushed = await client.sync();
    expect(pushed.status).toBe('refused');
    const reasons = pushed.status === 'refused' ? pushed.reasons.join('\n') : '';
    expect(reasons).toContain('[settings_not_admin]');
    expect(reasons).toContain('sites/main.json');
    expect(reasons).toContain('孙发布');
    expect(o.head(repo.name)).toBe(before);
    expect(o.ls(repo.name)).not.toContain('sites/');
  }, 300_000);

  it.each([
    ['by the publisher, not an administrator', 'pub', (site: SiteConfig) => site, /孙发布 不是管理员/],
    ['by the administrator, with a password typed into the file', 'admin', (site: SiteConfig) => ({ ...site, targets: site.targets.map((t) => ({ ...t, password: 'typed-in' })) }), /无法使用.*targets\.0\.password/],
  ] as const)('a site profile put on the server behind the hook’s back (%s) is refused by the desktop, named, and its own copy stays', async (_why, who, change, why) => {
    const bare = repositoryPath(o.serverDir, 'office');
    const tip = o.head('office')!;
    const scratch = join(o.root, `forged-office-${who}`);
    const gitdir = join(scratch, '.git');
    const url = `${o.url}office.git`;
    const joined = await joinOffice({ url, username: o.ids[who], password: o.passwords[who], dir: scratch, gitdir, scope: (p) => carries('office', p) });
    expect(joined.status).toBe('joined');
    const client = new OfficeSyncClient({
      dir: scratch,
      gitdir,
      // Whatever a forger writes, committed as is.
      scope: () => true,
      credentials: () => ({ username: o.ids[who], password: o.passwords[who] }),
      signer: await syncSignerAt(who === 'admin' ? a() : b(), o.ids[who], o.passwords[who]),
    });
    const file = join(scratch, 'sites', 'main.json');
    const site = JSON.parse(readFileSync(file, 'utf8')) as SiteConfig;
    writeFileSync(file, `${JSON.stringify(change({ ...site, baseUrl: 'https://forged.example' }), null, 2)}\n`);
    const forged = (await client.commitChanged(['sites/main.json'], '绕过服务器检查')).commit!;
    // Straight into the server's repository: a fetch runs no hook.
    expect(git(['--git-dir', bare, 'fetch', '--quiet', gitdir, `+refs/heads/main:refs/forged/${who}`]).status).toBe(0);
    expect(git(['--git-dir', bare, 'update-ref', 'refs/heads/main', forged, tip]).status).toBe(0);
    const ownCopy = readFileSync(join(b(), 'sites', 'main.json'), 'utf8');
    try {
      const refused = o.sync(b(), 'pub');
      expect(refused.run.status, refused.run.stdout).toBe(1);
      expect(refused.value.phase).toBe('rejected_incoming');
      const reason = refused.value.rejected.find((r) => r.repo === 'office')?.reason ?? '';
      expect(reason).toContain(forged.slice(0, 10));
      expect(reason).toContain('sites/main.json');
      expect(reason).toMatch(why);
      expect(readFileSync(join(b(), 'sites', 'main.json'), 'utf8')).toBe(ownCopy);
    } finally {
      git(['--git-dir', bare, 'update-ref', 'refs/heads/main', tip]);
      git(['--git-dir', bare, 'update-ref', '-d', `refs/forged/${who}`]);
      // The objects this process wrote go back to Apache's workers, who add objects beside them.
      addRepository(o.serverDir, 'office');
    }
    // With the forgery gone the desktop is in step again.
    expect(o.sync(b(), 'pub').value.phase).toBe('synced');
  }, 300_000);

  it('a password an administrator types into the site file is never sent: the round holds the file back and says why, the file stays as typed', async () => {
    const file = join(a(), 'sites', 'main.json');
    const saved = readFileSync(file, 'utf8');
    const site = JSON.parse(saved) as SiteConfig;
    const typed = `${JSON.stringify({ ...site, targets: site.targets.map((t) => ({ ...t, password: 'typed-by-hand-2026' })) }, null, 2)}\n`;
    writeFileSync(file, typed);
    const before = o.head('office');
    const held = o.sync(a(), 'admin');
    expect(held.value.phase, held.run.stdout).toBe('refused');
    expect(held.value.message).toContain('sites/main.json');
    expect(held.value.message).toMatch(/targets\.0\.password.*不随办公室同步/);
    expect(o.head('office')).toBe(before);
    expect(officeHistory()).not.toContain('typed-by-hand-2026');
    expect(readFileSync(file, 'utf8')).toBe(typed);
    // Put right, it goes with the next round as any other change.
    writeFileSync(file, saved.replace('门户网站（新版）', '门户网站（改正后）'));
    const sent = o.sync(a(), 'admin');
    expect(sent.value.phase, sent.run.stdout).toBe('synced');
    expect(o.sync(b(), 'pub').value.received).toContain('sites/main.json');
    expect(readFileSync(join(b(), 'sites', 'main.json'), 'utf8')).toContain('门户网站（改正后）');
  }, 300_000);
});
