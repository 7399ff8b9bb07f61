import type { CommentUpdate } from '../../../../shared/workflow/review-chain';
import type { ExportedFile } from '../../../../shared/api/contract';
import { ApiError } from '../../../../shared/api/errors';
import type { ArticleStatus } from '../../../../shared/domain/article';
import { findingMessage } from '../../../../shared/proofread/messages';
import type { Finding } from '../../../../shared/proofread/types';
import type { Invoke } from '../../api/client';
import type { GatedAction } from '../../proofread/GateDialog';
import { ArticlePublishing } from '../../publish/article-publishing';
import { ArticleReview, type Passage } from '../../review/article-review';
import { reviewErrorText } from '../../review/review-errors';
import type { EditingMode } from '../../review/review-logic';
import type { EditorSession } from '../../state/editor-session';
import { clearLocalCopy, type KeyValueStorage } from '../../state/local-copy';
import { navigate, setLeaveGuard } from '../../state/navigation';
import { notifyError, pushToast } from '../../state/notifications';
import { currentLocale, translateNow } from '../../state/settings';
import { createStore, type Store } from '../../state/store';

export type EditorDialog = 'saveVersion' | 'versions' | 'delete' | 'submit' | 'approve' | 'requestChanges' | 'diff' | 'signoff';
export type SidePanel = 'meta' | 'review' | 'publish' | 'proof';

export interface EditorWorkspaceState {
  /** The side panel (metadata, review, publishing, proofreading) is shown. */
  panelOpen: boolean;
  sidePanel: SidePanel;
  previewOpen: boolean;
  dialog: EditorDialog | null;
  /** Submitting or publishing was stopped by proofreading errors: the gate shows them. */
  gate: GatedAction | null;
  /** A step that must not be started twice (export, trash, a review transition) is under way. */
  busy: boolean;
}

/** What the workspace needs of the proofreading that runs beside the editor. */
export interface ProofreadingPort {
  /** Checks now; resolves with the errors still standing. */
  checkNow(): Promise<readonly Finding[]>;
  /** Records an override the services accepted (with their answer's findings). */
  markOverridden(finding: Finding, serverFindings?: readonly Finding[]): void;
}

export interface EditorWorkspaceDeps {
  invoke: Invoke;
  storage: KeyValueStorage;
  proofreading: ProofreadingPort;
  /** The review queue asks again (the navigation badge). */
  refreshReviewQueue(): void;
  /** True when the failure means the session ended (the sign-in screen then comes back). */
  handleSessionLoss(error: unknown): boolean;
  /** Drops a trashed article from the article list without waiting for a reload. */
  removeFromList(articleId: string): void;
  download(file: ExportedFile): void;
}

/** How long leaving waits for the last save before it goes anyway (the local copy keeps the text). */
const LEAVE_TIMEOUT_MS = 5000;
/**
 * The editor's own onChange is a pure debounce, so during continuous typing it
 * would stay silent; pulling its pending change this often, together with the
 * queue's max wait, keeps every change saved within about a second.
 */
export const PULL_INTERVAL_MS = 250;

/**
 * One open article on the editor screen: the editing session, its review and
 * publishing, and the screen's panels and dialogs, with every action the screen offers
 * (export, trash, submit, approve, request changes, comment, override).
 * The screen renders {@link store} and {@link review}'s store and calls these
 * methods; it holds no state of its own beyond the editor's DOM.
 */
export class EditorWorkspace {
  readonly session: EditorSession;
  readonly review: ArticleReview;
  readonly publishing: ArticlePublishing;
  readonly store: Store<EditorWorkspaceState>;
  private readonly initialStatus: ArticleStatus;
  private readonly deps: EditorWorkspaceDeps;

  constructor(session: EditorSession, initialStatus: ArticleStatus, deps: EditorWorkspaceDeps) {
    this.session = session;
    this.initialStatus = initialStatus;
    this.deps = deps;
    this.review = new ArticleReview(session.articleId, {
      invoke: deps.invoke,
      flush: () => session.flush(),
      onTransition: deps.refreshReviewQueue,
      handleSessionLoss: deps.handleSessionLoss,
    });
    this.publishing = new ArticlePublishing(session.articleId, {
      invoke: deps.invoke,
      flush: () => session.flush(),
      proofreadingErrors: () => deps.proofreading.checkNow(),
      showProofreadingGate: () => this.showGate('publish'),
      // Publishing moves the review state on (published, withdrawn).
      onSettled: () => void this.review.load(),
      handleSessionLoss: deps.handleSessionLoss,
    });
    this.store = createStore<EditorWorkspaceState>({
      panelOpen: true,
      sidePanel: 'meta',
      previewOpen: false,
      dialog: null,
      gate: null,
      busy: false,
    });
  }

  get articleId(): string {
    return this.session.articleId;
  }

  /** Whether the body and metadata accept input, and whether a reviewer may switch to editing. */
  editingMode(): EditingMode {
    return this.review.editingMode(this.initialStatus);
  }

  /**
   * Reads the review and the office chain. Reviewers and returned articles open
   * on the review panel: that is what they came for (unless the user already
   * picked another panel while the review was loading).
   */
  async open(): Promise<void> {
    void this.review.loadOfficeChain();
    const view = await this.review.load();
    if (view && view.state.status !== 'draft') {
      this.patch((state) => ({ sidePanel: state.sidePanel === 'meta' ? 'review' : state.sidePanel }));
    }
  }

  /**
   * Ties the session to the page while the screen shows it: the editor's
   * pending change is pulled regularly and before every save, leaving the
   * screen waits for the last save, a hidden or closing page saves at once, and
   * a saved edit of an article under review reads the review again (the content
   * hash changed, approvals may be reset, comment anchors moved). Returns the
   * function that undoes all of it.
   */
  attach(pullFromEditor: () => void): () => void {
    const { session } = this;
    session.setPendingChangesSource(pullFromEditor);
    const pull = setInterval(() => session.pullPendingChanges(), PULL_INTERVAL_MS);
    setLeaveGuard(async () => {
      const saved = await Promise.race([
        session.flush(),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), LEAVE_TIMEOUT_MS)),
      ]);
      if (!saved) pushToast('error', translateNow('editorScreen.leftUnsaved'));
    });
    const onHidden = () => {
      if (document.visibilityState === 'hidden') session.flushNow();
    };
    const onPageHide = () => session.flushNow();
    document.addEventListener('visibilitychange', onHidden);
    window.addEventListener('pagehide', onPageHide);
    window.addEventListener('beforeunload', onPageHide);
    const stopReloadingReview = this.reloadReviewAfterSaves();
    return () => {
      // The editor unmounts after the screen's cleanup, so take its last change now.
      session.pullPendingChanges();
      session.setPendingChangesSource(null);
      clearInterval(pull);
      setLeaveGuard(null);
      document.removeEventListener('visibilitychange', onHidden);
      window.removeEventListener('pagehide', onPageHide);
      window.removeEventListener('beforeunload', onPageHide);
      stopReloadingReview();
    };
  }

  togglePanel(): void {
    this.patch((state) => ({ panelOpen: !state.panelOpen }));
  }

  togglePreview(): void {
    this.patch((state) => ({ previewOpen: !state.previewOpen }));
  }

  showSidePanel(sidePanel: SidePanel): void {
    this.patch(() => ({ sidePanel }));
  }

  openDialog(dialog: EditorDialog): void {
    this.patch(() => ({ dialog }));
  }

  closeDialog(): void {
    this.patch(() => ({ dialog: null }));
  }

  /** Shows the proofreading gate for a step refused because errors remain. */
  showGate(action: GatedAction): void {
    this.patch(() => ({ gate: action }));
  }

  closeGate(): void {
    this.patch(() => ({ gate: null }));
  }

  /** From the gate, once no error stands: back to the step that was stopped. */
  retryGated(): void {
    const { gate } = this.store.get();
    this.patch(() => (gate === 'submit' ? { gate: null, dialog: 'submit' } : { gate: null, sidePanel: 'publish' }));
  }

  toggleReviewerEditing(): void {
    this.review.setReviewerEditing(!this.review.store.get().reviewerEditing);
  }

  /** Downloads the article as stored after saving what is on screen. */
  async exportAs(format: 'json' | 'html'): Promise<void> {
    this.patch(() => ({ busy: true }));
    try {
      await this.session.flush();
      this.deps.download(await this.deps.invoke('articles:export', { id: this.articleId, format }));
    } catch (error) {
      notifyError(error);
    } finally {
      this.patch(() => ({ busy: false }));
    }
  }

  /** Moves the article to the trash and goes back to the list. */
  async moveToTrash(): Promise<void> {
    const { session } = this;
    this.patch(() => ({ busy: true }));
    try {
      await session.flush();
      await this.deps.invoke('articles:trash', { id: this.articleId });
      session.dispose();
      clearLocalCopy(this.deps.storage, this.articleId);
      this.deps.removeFromList(this.articleId);
      setLeaveGuard(null);
      const title = session.store.get().meta.title || translateNow('list.untitled');
      pushToast('info', translateNow('editorScreen.trashed', { title }));
      await navigate({ name: 'list' });
    } catch (error) {
      notifyError(error);
      this.patch(() => ({ busy: false, dialog: null }));
    }
  }

  /** Errors stop a submit before the note is even asked for; the services hold the same gate. */
  async startSubmit(): Promise<void> {
    this.patch(() => ({ busy: true }));
    const errors = await this.deps.proofreading.checkNow();
    this.patch(() => (errors.length > 0 ? { busy: false, gate: 'submit' } : { busy: false, dialog: 'submit' }));
  }

  /** The submit dialog's confirmation; a refusal is thrown for the dialog to show. */
  async submit(note: string): Promise<void> {
    try {
      await this.whileBusy(() => this.review.submit(note));
    } catch (error) {
      // The services refuse (conflict) while errors stand; show which ones rather than a bare refusal.
      if (error instanceof ApiError && error.code === 'conflict' && (await this.deps.proofreading.checkNow()).length > 0) {
        this.patch(() => ({ dialog: null, gate: 'submit' }));
        return;
      }
      throw error;
    }
    this.patch(() => ({ dialog: null, sidePanel: 'review' }));
    pushToast('info', translateNow('review.ui.submitted'));
  }

  async approve(opinion: string): Promise<void> {
    await this.whileBusy(() => this.review.approve(opinion));
    this.patch(() => ({ dialog: null }));
    pushToast('info', translateNow('review.ui.approved'));
  }

  async requestChanges(reason: string): Promise<void> {
    await this.whileBusy(() => this.review.requestChanges(reason));
    this.patch(() => ({ dialog: null }));
    pushToast('info', translateNow('review.ui.returned'));
  }

  /** Adds a comment; a refusal is shown as a toast and answered with false (the draft stays open). */
  async comment(body: string, passage: Passage | null): Promise<boolean> {
    try {
      await this.whileBusy(() => this.review.comment(body, passage));
      return true;
    } catch (error) {
      pushToast('error', reviewErrorText(currentLocale(), error));
      return false;
    }
  }

  /** Answers or changes a comment (reply, edit, withdraw, resolve, reopen); a refusal is a toast and false. */
  async commentThread(act: { reply: string; body: string } | { commentId: string; action: CommentUpdate; body?: string }): Promise<boolean> {
    try {
      await this.whileBusy(() =>
        'reply' in act ? this.review.reply(act.reply, act.body) : this.review.updateComment(act.commentId, act.action, act.body),
      );
      return true;
    } catch (error) {
      pushToast('error', reviewErrorText(currentLocale(), error));
      return false;
    }
  }

  /** Lets one proofreading error through with a reason; the services record it in the article's history. */
  async overrideFinding(finding: Finding, reason: string): Promise<void> {
    await this.session.flush();
    const result = await this.deps.invoke('proofread:override', {
      articleId: this.articleId,
      rule: finding.rule,
      start: finding.start,
      text: finding.text,
      reason,
    });
    this.deps.proofreading.markOverridden(finding, result.findings);
    pushToast('info', translateNow('proof.gate.overridden', { text: finding.text || findingMessage(finding, currentLocale()) }));
    void this.review.load();
  }

  private reloadReviewAfterSaves(): () => void {
    let last: { savedAt: number | null; status: ArticleStatus } | null = null;
    const check = () => {
      const save = this.session.store.get().save;
      const savedAt = save.kind === 'saved' ? save.at : null;
      const status = this.review.status;
      if (last && last.savedAt === savedAt && last.status === status) return;
      last = { savedAt, status };
      if (savedAt !== null && status !== 'draft') void this.review.load();
    };
    check();
    const unsubscribeSession = this.session.store.subscribe(check);
    const unsubscribeReview = this.review.store.subscribe(check);
    return () => {
      unsubscribeSession();
      unsubscribeReview();
    };
  }

  private async whileBusy<T>(step: () => Promise<T>): Promise<T> {
    this.patch(() => ({ busy: true }));
    try {
      return await step();
    } finally {
      this.patch(() => ({ busy: false }));
    }
  }

  private patch(change: (state: EditorWorkspaceState) => Partial<EditorWorkspaceState>): void {
    this.store.set((state) => ({ ...state, ...change(state) }));
  }
}
