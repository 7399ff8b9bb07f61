import type { RequestOf } from '../../../shared/api/contract';
import type { Article, ArticleMeta } from '../../../shared/domain/article';
import type { Doc } from '../../../shared/domain/doc';
import type { TextCounts } from '../../../shared/text/count';
import { AutosaveQueue, type SaveState } from './autosave';
import { isConflict } from './errors';
import { clearLocalCopy, type KeyValueStorage, type LocalCopy, newerLocalCopy, writeLocalCopy } from './local-copy';
import { toStorableMeta } from './meta-edit';
import { createStore, type Store } from './store';

export interface EditorSessionState {
  meta: ArticleMeta;
  save: SaveState;
  /** Bumped whenever the editor must be rebuilt around new content (restore, reload). */
  editorKey: number;
  initialDoc: Doc;
  /** An unsaved local copy newer than the stored article, offered on open. */
  offeredCopy: LocalCopy | null;
}

export interface EditorSessionDeps {
  save(request: RequestOf<'articles:save'>): Promise<{ updatedAt: string }>;
  storage: KeyValueStorage;
  now?(): number;
  debounceMs?: number;
  maxWaitMs?: number;
  retryDelaysMs?: readonly number[];
}

interface Snapshot extends LocalCopy {}

/**
 * One open article: its current metadata and body, the autosave queue and the
 * local safety copy. The body is kept outside the React store so typing does
 * not re-render the whole screen.
 */
export class EditorSession {
  readonly articleId: string;
  readonly store: Store<EditorSessionState>;
  /**
   * 字数 and friends, apart from `store`: they change every few hundred
   * milliseconds while the writer types, and only the count badge shows them,
   * so they must not re-render everything that reads the session.
   */
  readonly counts: Store<TextCounts | null> = createStore<TextCounts | null>(null);
  private currentDoc: Doc;
  private readonly queue: AutosaveQueue<Snapshot>;
  private readonly deps: EditorSessionDeps;
  private pullPending: (() => void) | null = null;

  constructor(article: Article, deps: EditorSessionDeps) {
    this.articleId = article.id;
    this.deps = deps;
    this.currentDoc = article.doc;
    this.store = createStore<EditorSessionState>({
      meta: article.meta,
      save: { kind: 'idle' },
      editorKey: 0,
      initialDoc: article.doc,
      offeredCopy: newerLocalCopy(deps.storage, article),
    });
    this.queue = new AutosaveQueue<Snapshot>({
      baseUpdatedAt: article.updatedAt,
      save: async (snapshot, baseUpdatedAt) => {
        const request: RequestOf<'articles:save'> = {
          id: article.id,
          meta: toStorableMeta(snapshot.meta),
          doc: snapshot.doc,
        };
        if (baseUpdatedAt !== undefined) request.baseUpdatedAt = baseUpdatedAt;
        return (await deps.save(request)).updatedAt;
      },
      backup: {
        write: (snapshot) => writeLocalCopy(deps.storage, article.id, snapshot),
        clear: () => clearLocalCopy(deps.storage, article.id),
      },
      isConflict,
      onState: (save) => this.store.set((state) => ({ ...state, save })),
      debounceMs: deps.debounceMs,
      maxWaitMs: deps.maxWaitMs,
      retryDelaysMs: deps.retryDelaysMs,
      now: deps.now,
    });
  }

  /** The body as last reported by the editor. */
  get doc(): Doc {
    return this.currentDoc;
  }

  get hasUnsavedChanges(): boolean {
    return this.queue.hasUnsavedChanges;
  }

  /** The editor holds an edit it has not reported yet: the status shows it is being saved. */
  noteEditStarted(): void {
    this.queue.expectChange();
  }

  updateDoc(doc: Doc): void {
    this.currentDoc = doc;
    this.queueSave();
  }

  updateMeta(change: (meta: ArticleMeta) => ArticleMeta): void {
    this.store.set((state) => ({ ...state, meta: change(state.meta) }));
    this.queueSave();
  }

  setCounts(counts: TextCounts): void {
    this.counts.set(counts);
  }

  /** Puts other content (a version, a local copy) in place as the current state; it autosaves. */
  replaceContent(meta: ArticleMeta, doc: Doc): void {
    // Take the old editor's last change first, or its unmount would report it after the replacement.
    this.pullPendingChanges();
    this.currentDoc = doc;
    this.store.set((state) => ({ ...state, meta, initialDoc: doc, editorKey: state.editorKey + 1 }));
    this.queueSave();
  }

  /** Takes the offered local copy as the current content. */
  acceptOfferedCopy(): void {
    const copy = this.store.get().offeredCopy;
    this.store.set((state) => ({ ...state, offeredCopy: null }));
    if (copy) this.replaceContent(copy.meta, copy.doc);
  }

  /** Drops the offered local copy for good. */
  discardOfferedCopy(): void {
    this.store.set((state) => ({ ...state, offeredCopy: null }));
    if (!this.queue.hasUnsavedChanges) clearLocalCopy(this.deps.storage, this.articleId);
  }

  /**
   * The editor reports changes debounced; before any flush the session asks it
   * to hand over what it still holds, so "save now" really means everything.
   */
  setPendingChangesSource(pull: (() => void) | null): void {
    this.pullPending = pull;
  }

  /** Pulls the editor's pending change into the queue (also used on a timer while typing). */
  pullPendingChanges(): void {
    try {
      this.pullPending?.();
    } catch {
      // An editor being torn down has nothing left to give.
    }
  }

  flush(): Promise<boolean> {
    this.pullPendingChanges();
    return this.queue.flush();
  }

  flushNow(): void {
    this.pullPendingChanges();
    this.queue.flushNow();
  }

  retryNow(): void {
    this.queue.retryNow();
  }

  /** After a conflict: save this version over the other one. */
  keepMine(): Promise<boolean> {
    return this.queue.keepMine();
  }

  /** After a conflict the writer chose to reload: their copy is no longer wanted. */
  abandonChanges(): void {
    this.queue.dispose();
    clearLocalCopy(this.deps.storage, this.articleId);
  }

  dispose(): void {
    this.queue.dispose();
  }

  private queueSave(): void {
    const editedAt = new Date(this.deps.now?.() ?? Date.now()).toISOString();
    this.queue.update({ meta: this.store.get().meta, doc: this.currentDoc, editedAt });
  }
}
