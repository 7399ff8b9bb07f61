import { describe, expect, it, vi } from 'vitest';
import type { RequestOf } from '../../../shared/api/contract';
import { ApiError } from '../../../shared/api/errors';
import { type Article, emptyMeta, newArticle } from '../../../shared/domain/article';
import { type Doc, paragraph } from '../../../shared/domain/doc';
import { EditorSession } from '../../../renderer/src/state/editor-session';
import {
  type KeyValueStorage,
  localCopyKey,
  newerLocalCopy,
  readLocalCopy,
  writeLocalCopy,
} from '../../../renderer/src/state/local-copy';
import { fakeTimersInEachTest } from '../../support/fake-timers';

function memoryStorage(): KeyValueStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
    removeItem: (key) => void data.delete(key),
  };
}

function article(updatedAt = '2024-05-01T08:00:00.000Z'): Article {
  const a = newArticle('art_123456', updatedAt, { ...emptyMeta('meeting'), title: '原标题' });
  return { ...a, updatedAt };
}

describe('EditorSession', () => {
  fakeTimersInEachTest('2024-05-01T09:00:00.000Z');

  it('a new 字数 reaches the count badge without touching the state the rest of the editor screen renders from', () => {
    const session = new EditorSession(article(), { storage: memoryStorage(), save: async () => ({ updatedAt: '2024-05-01T09:00:01.000Z' }) });
    const screen = vi.fn();
    const badge = vi.fn();
    session.store.subscribe(screen);
    session.counts.subscribe(badge);
    session.setCounts({ han: 5, words: 6, nonSpace: 6, paragraphs: 1, images: 0, readingMinutes: 1 });
    expect(session.counts.get()?.words).toBe(6);
    expect(badge).toHaveBeenCalledTimes(1);
    expect(screen).not.toHaveBeenCalled();
  });

  it('autosaves metadata and body together, leaving half-filled attendee rows out of the request', async () => {
    const requests: RequestOf<'articles:save'>[] = [];
    const storage = memoryStorage();
    const session = new EditorSession(article(), {
      storage,
      save: async (request) => {
        requests.push(request);
        return { updatedAt: '2024-05-01T09:00:01.000Z' };
      },
    });
    session.updateMeta((meta) => ({
      ...meta,
      title: '新标题',
      meeting: {
        name: '全区领导干部会议',
        host: '',
        place: '',
        headcount: null,
        attendees: [
          { kind: 'person', name: '刘思江', title: '区党工委书记', unit: '', role: '主持' },
          { kind: 'person', name: '  ', title: '', unit: '', role: '出席' },
        ],
      },
    }));
    session.updateDoc({ type: 'doc', content: [paragraph('正文第一段')] });
    await vi.advanceTimersByTimeAsync(400);
    expect(requests).toHaveLength(1);
    const sent = requests[0];
    expect(sent?.meta?.title).toBe('新标题');
    expect(sent?.meta?.meeting?.attendees).toHaveLength(1);
    expect((sent?.doc as Doc | undefined)?.content[0]?.content?.[0]?.text).toBe('正文第一段');
    expect(sent?.baseUpdatedAt).toBe('2024-05-01T08:00:00.000Z');
    // The blank row stays on screen for the writer to fill in.
    expect(session.store.get().meta.meeting?.attendees).toHaveLength(2);
    expect(session.store.get().save.kind).toBe('saved');
    expect(storage.data.has(localCopyKey('art_123456'))).toBe(false);
  });

  it('keeps a local copy while the service is down, and offers it when the article is opened again', async () => {
    const storage = memoryStorage();
    const stored = article();
    const session = new EditorSession(stored, {
      storage,
      save: () => Promise.reject(new ApiError('internal', 'network: offline')),
    });
    session.updateDoc({ type: 'doc', content: [paragraph('断网时写的内容')] });
    await vi.advanceTimersByTimeAsync(400);
    expect(session.store.get().save.kind).toBe('failed');
    session.dispose();

    const reopened = new EditorSession(stored, { storage, save: async () => ({ updatedAt: 'x' }) });
    const offered = reopened.store.get().offeredCopy;
    expect(offered?.doc.content[0]?.content?.[0]?.text).toBe('断网时写的内容');
    reopened.acceptOfferedCopy();
    expect(reopened.doc.content[0]?.content?.[0]?.text).toBe('断网时写的内容');
    expect(reopened.store.get().editorKey).toBe(1);
  });

  it('restoring content rebuilds the editor and autosaves it', async () => {
    const saved: string[] = [];
    const session = new EditorSession(article(), {
      storage: memoryStorage(),
      save: async (request) => {
        saved.push(request.meta?.title ?? '');
        return { updatedAt: 'v2' };
      },
    });
    session.replaceContent({ ...emptyMeta(), title: '版本一' }, { type: 'doc', content: [paragraph('旧正文')] });
    expect(session.store.get().initialDoc.content[0]?.content?.[0]?.text).toBe('旧正文');
    await vi.advanceTimersByTimeAsync(1000);
    expect(saved).toEqual(['版本一']);
  });
});

describe('EditorSession with a debounced editor', () => {
  it('pulls the change the editor still holds before saving now', async () => {
    const sent: string[] = [];
    const session = new EditorSession(article(), {
      storage: memoryStorage(),
      save: async (request) => {
        sent.push((request.doc as Doc).content[0]?.content?.[0]?.text ?? '');
        return { updatedAt: 'v1' };
      },
    });
    let held: string | null = '还在编辑器里的字';
    session.setPendingChangesSource(() => {
      if (held !== null) session.updateDoc({ type: 'doc', content: [paragraph(held)] });
      held = null;
    });
    await expect(session.flush()).resolves.toBe(true);
    expect(sent).toEqual(['还在编辑器里的字']);
  });
});

describe('local copy', () => {
  it('offers a copy only when it is newer than the stored article and different from it', () => {
    const storage = memoryStorage();
    const stored = article('2024-05-01T08:00:00.000Z');
    writeLocalCopy(storage, stored.id, { meta: stored.meta, doc: stored.doc, editedAt: '2024-05-01T08:30:00.000Z' });
    expect(newerLocalCopy(storage, stored)).toBeNull();

    const changedDoc = { type: 'doc' as const, content: [paragraph('改过')] };
    writeLocalCopy(storage, stored.id, { meta: stored.meta, doc: changedDoc, editedAt: '2024-05-01T07:00:00.000Z' });
    expect(newerLocalCopy(storage, stored)).toBeNull();

    writeLocalCopy(storage, stored.id, { meta: stored.meta, doc: changedDoc, editedAt: '2024-05-01T08:30:00.000Z' });
    expect(newerLocalCopy(storage, stored)?.doc).toEqual(changedDoc);
  });

  it('treats a damaged entry as absent instead of failing', () => {
    const storage = memoryStorage();
    storage.setItem(localCopyKey('abc123'), '{"meta": {"title": "x"}, "doc": ');
    expect(readLocalCopy(storage, 'abc123')).toBeNull();
    storage.setItem(localCopyKey('abc123'), JSON.stringify({ meta: {}, doc: { type: 'nope' }, editedAt: 'x' }));
    expect(readLocalCopy(storage, 'abc123')).toBeNull();
  });

  it('reports a full storage instead of throwing', () => {
    const full: KeyValueStorage = {
      getItem: () => null,
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {},
    };
    expect(
      writeLocalCopy(full, 'abc123', { meta: emptyMeta(), doc: { type: 'doc', content: [] }, editedAt: 'now' }),
    ).toBe(false);
  });
});
