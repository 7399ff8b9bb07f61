import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { openWorkspace, type Workspace } from '../../node/services';
import type { CallContext, Channel, PersonSummary, ResponseOf } from '../../shared/api/contract';
import type { Envelope } from '../../shared/api/errors';
import type { Article } from '../../shared/domain/article';
import type { Doc } from '../../shared/domain/doc';
import type { ReviewChainInput, Role } from '../../shared/workflow/review-chain';

/** Cheap scrypt so a test can create and sign in many people. */
export const TEST_SCRYPT = { N: 1024, r: 8, p: 1 };

/** A workspace with people signed in, each in their own session, driven through the API dispatcher. */
export interface Office {
  dir: string;
  workspace: Workspace;
  people: Record<string, PersonSummary>;
  ctx(who: string): CallContext;
  call(who: string, channel: Channel, payload: unknown): Promise<Envelope<unknown>>;
  value<C extends Channel>(who: string, channel: C, payload: unknown): Promise<ResponseOf<C>>;
  close(): Promise<void>;
}

export function passwordOf(who: string): string {
  return `pw-${who}-secret`;
}

/** Opens a fresh workspace; `admin` is set up first (admin + writer), then the others are created and signed in. */
export async function createOffice(
  people: { who: string; name: string; roles: Role[] }[],
  options: { chain?: ReviewChainInput; dir?: string } = {},
): Promise<Office> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'gazette-review-'));
  const workspace = await openWorkspace(dir, { scrypt: TEST_SCRYPT });
  const ctx = (who: string): CallContext => ({ transport: 'http', sessionId: `http:${who}` });
  const call = (who: string, channel: Channel, payload: unknown) => workspace.dispatch(channel, payload, ctx(who));
  const value = async <C extends Channel>(who: string, channel: C, payload: unknown): Promise<ResponseOf<C>> => {
    const envelope = await call(who, channel, payload);
    if (!envelope.ok) throw new Error(`${who} ${channel}: ${envelope.error.code} ${envelope.error.detail}`);
    return envelope.value as ResponseOf<C>;
  };
  const roster: Record<string, PersonSummary> = {};
  const setup = await value('admin', 'session:setup', { name: '管理员', unit: '区融媒体中心', password: passwordOf('admin') });
  if (!setup.person) throw new Error('setup did not sign in');
  roster.admin = setup.person;
  for (const p of people) {
    roster[p.who] = await value('admin', 'people:save', { name: p.name, roles: p.roles, password: passwordOf(p.who) });
    await value(p.who, 'session:signIn', { personId: roster[p.who]?.id, password: passwordOf(p.who) });
  }
  if (options.chain) await value('admin', 'review:chainSave', options.chain);
  return {
    dir,
    workspace,
    people: roster,
    ctx,
    call,
    value,
    close: async () => {
      await workspace.close();
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Another workstation of the same office: its office folder (the signed policy
 * chain) and people file (password-sealed keys) are what the office shares, as
 * a sync or an administrator's copy would bring them; its articles are its own.
 * `who` sign in there with their own passwords.
 */
export async function joinOffice(from: Office, who: readonly string[]): Promise<Office> {
  const dir = mkdtempSync(join(tmpdir(), 'gazette-review-'));
  cpSync(join(from.dir, 'office'), join(dir, 'office'), { recursive: true });
  for (const file of ['people.json', 'review-chain.json']) {
    if (existsSync(join(from.dir, file))) cpSync(join(from.dir, file), join(dir, file));
  }
  const workspace = await openWorkspace(dir, { scrypt: TEST_SCRYPT });
  const ctx = (person: string): CallContext => ({ transport: 'http', sessionId: `http:${person}` });
  const call = (person: string, channel: Channel, payload: unknown) => workspace.dispatch(channel, payload, ctx(person));
  const value = async <C extends Channel>(person: string, channel: C, payload: unknown): Promise<ResponseOf<C>> => {
    const envelope = await call(person, channel, payload);
    if (!envelope.ok) throw new Error(`${person} ${channel}: ${envelope.error.code} ${envelope.error.detail}`);
    return envelope.value as ResponseOf<C>;
  };
  for (const person of who) {
    await value(person, 'session:signIn', { personId: from.people[person]?.id, password: passwordOf(person) });
  }
  return {
    dir,
    workspace,
    people: from.people,
    ctx,
    call,
    value,
    close: async () => {
      await workspace.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A writer, a reviewer and a publisher under a one-stage chain (终审 by reviewers); in `dir` when given. */
export function createPublishingTeam(dir?: string): Promise<Office> {
  return createOffice(
    [
      { who: 'writer', name: '张撰稿', roles: ['writer'] },
      { who: 'reviewer', name: '李审核', roles: ['reviewer'] },
      { who: 'publisher', name: '王发布', roles: ['publisher'] },
    ],
    { chain: { stages: [{ id: 'final', name: '终审', roles: ['reviewer'] }] }, dir },
  );
}

/** An office ready to publish, and an empty folder standing in for the portal's web root. */
export interface PublishingOffice {
  office: Office;
  folder: string;
  close(): Promise<void>;
}

/** The {@link createPublishingTeam} office, plus an empty temp web root. */
export async function createPublishingOffice(): Promise<PublishingOffice> {
  const office = await createPublishingTeam();
  const folder = mkdtempSync(join(tmpdir(), 'gazette-www-'));
  return {
    office,
    folder,
    close: async () => {
      await office.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/**
 * A fresh {@link createPublishingOffice} for each test of the calling file (or
 * suite): opened before the test and handed to `use`, closed after it.
 */
export function publishingOfficeForEachTest(use: (opened: PublishingOffice) => void): void {
  let opened: PublishingOffice | null = null;
  beforeEach(async () => {
    opened = await createPublishingOffice();
    use(opened);
  });
  afterEach(() => opened?.close());
}

/** A doc of plain paragraphs. */
export function docOf(...paragraphs: string[]): Doc {
  return { type: 'doc', content: paragraphs.map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] })) };
}

/** Creates an article as `who` and saves a title and body. */
export async function draft(office: Office, who: string, title: string, ...paragraphs: string[]): Promise<Article> {
  const created = await office.value(who, 'articles:create', { template: 'blank' });
  const meta = { ...created.meta, title, source: '区党政办', column: ['首页', '要闻动态'], publishAt: '2021-05-20' };
  await office.value(who, 'articles:save', { id: created.id, meta, doc: docOf(...paragraphs) });
  return office.value(who, 'articles:get', { id: created.id });
}

/**
 * Every file under `dir` with its bytes. Excluded: the session marker
 * (rewritten on each open) and the index cache (flushed on a timer, rebuilt
 * from the article files).
 */
export function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) {
        if (relative(dir, path) !== 'index') walk(path);
      }
      else if (name !== '.gazette-open') out.set(relative(dir, path), readFileSync(path).toString('base64'));
    }
  };
  walk(dir);
  return out;
}
