import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ArticleList, CallContext } from '../../../shared/api/contract';
import type { Article } from '../../../shared/domain/article';
import { ArticleMetaSchema } from '../../../shared/domain/article';
import { paragraph } from '../../../shared/domain/doc';
import { openWorkspace } from '../../../node/services';
import { WorkspaceStore } from '../../../node/services/store/workspace-store';
import { createOffice, passwordOf, TEST_SCRYPT } from '../../support/review-api';

let dir: string | null = null;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

/** `n` copies of one article under new ids, written last to first, as an import of an archive leaves them (no index yet). */
function archiveOf(workspace: string, template: string, n: number): string[] {
  const article = JSON.parse(readFileSync(join(workspace, 'articles', template, 'article.json'), 'utf8'));
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = `archive${String(i).padStart(6, '0')}`;
    const at = new Date(Date.parse('2020-01-01T00:00:00Z') + i * 60_000).toISOString();
    mkdirSync(join(workspace, 'articles', id));
    writeFileSync(join(workspace, 'articles', id, 'article.json'), JSON.stringify({ ...article, id, createdAt: at, updatedAt: at, meta: { ...article.meta, title: `档案${i}` } }));
    ids.push(id);
  }
  return ids;
}

describe('a workspace opened to load in the background', () => {
  it('signs in and lists the newest rows at once, says it is loading, and answers the rest once loaded', async () => {
    const office = await createOffice([]);
    dir = office.dir;
    const admin = office.people.admin?.id;
    await office.workspace.close();
    const store = await WorkspaceStore.open(office.dir);
    const template = (await store.create(ArticleMetaSchema.parse({ title: '模板' }), { type: 'doc', content: [paragraph('正文。')] })).id;
    await store.close();
    const ids = archiveOf(office.dir, template, 3000);
    rmSync(join(office.dir, 'articles', template), { recursive: true });
    rmSync(join(office.dir, 'index'), { recursive: true, force: true });

    const workspace = await openWorkspace(office.dir, { scrypt: TEST_SCRYPT, loadInBackground: true, autoStartOutbox: false });
    try {
      const ctx: CallContext = { transport: 'http', sessionId: 'http:admin' };
      const signedIn = await workspace.dispatch('session:signIn', { personId: admin, password: passwordOf('admin') }, ctx);
      expect(signedIn.ok).toBe(true);
      const list = async (request: object): Promise<ArticleList> => {
        const envelope = await workspace.dispatch('articles:list', request, ctx);
        if (!envelope.ok) throw new Error(envelope.error.detail);
        return envelope.value as ArticleList;
      };
      const early = await list({ offset: 0, limit: 50 });
      expect(early).toMatchObject({ loading: true, total: 3000 });
      expect(early.items.slice(0, 3).map((row) => row.id)).toEqual([ids[2999], ids[2998], ids[2997]]);

      // Any other question waits for every article: this one is answered from the whole workspace.
      const found = await list({ offset: 0, limit: 50, query: '档案12' });
      expect(found.loading).toBeUndefined();
      expect(found.total).toBe(111);
      const oldest = await workspace.dispatch('articles:get', { id: ids[0] }, ctx);
      expect(oldest.ok ? (oldest.value as Article).meta.title : null).toBe('档案0');
      const whole = await list({ offset: 0, limit: 50 });
      expect([whole.loading, whole.total]).toEqual([undefined, 3000]);
    } finally {
      await workspace.close();
    }
  });
});
