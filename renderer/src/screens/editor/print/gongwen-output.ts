import type { ExportedFile } from '../../../../../shared/api/contract';
import type { Invoke } from '../../../api/client';
import { notifyError, pushToast } from '../../../state/notifications';
import { translateNow } from '../../../state/settings';
import { createStore, type Store } from '../../../state/store';

/** What an export noted, in the person's language (the Chinese text where the services sent no keys). */
function notesOf(file: ExportedFile): string[] {
  return file.noteMessages?.map((note) => translateNow(note.messageKey, note.params)) ?? file.notes ?? [];
}

/** The 公文 files the editor hands out. */
export type GongwenFile = 'docx' | 'pdf';

export type PrintPreviewState =
  | { kind: 'loading' }
  | { kind: 'ready'; html: string; notes: readonly string[] }
  | { kind: 'failed'; detail: string };

export interface GongwenOutputState {
  /** The 红头 version (发文机关标志 in red, 发文字号, red rule) for exports and printing alike. */
  redhead: boolean;
  /** The export or print page being made; one at a time, so a double click makes one file. */
  busy: GongwenFile | 'print' | null;
  /** The print preview, while it is open. */
  preview: PrintPreviewState | null;
  /** What the last export substituted or left out, until the person has read it. */
  report: { fileName: string; notes: readonly string[] } | null;
}

export interface GongwenOutputDeps {
  invoke: Invoke;
  /** Saves what is on screen; false when that failed (the stored article is then older than the screen). */
  flush(): Promise<boolean>;
  download(file: ExportedFile): void;
  /** The failure in the person's language (the print preview shows it in place). */
  describeError(error: unknown): string;
  /** True when the failure means the session ended (the sign-in screen then comes back). */
  handleSessionLoss(error: unknown): boolean;
}

/** Raised inside the controller when the screen's text could not be saved first. */
class NotSaved extends Error {}

/**
 * The editor's 公文 output: 导出 Word / 导出 PDF (optionally with the 红头)
 * and 打印 with its preview, all made by the services from the saved article
 * (articles:export), so the preview, the PDF and the Word file are one layout.
 * What the services report (fonts missing on this machine, a 落款 without a
 * date) is shown to the person, never dropped.
 */
export class GongwenOutput {
  readonly store: Store<GongwenOutputState>;
  private readonly articleId: string;
  private readonly deps: GongwenOutputDeps;
  /** Answers to an older preview request (before the 红头 was switched) are dropped. */
  private previewTicket = 0;

  constructor(articleId: string, deps: GongwenOutputDeps) {
    this.articleId = articleId;
    this.deps = deps;
    this.store = createStore<GongwenOutputState>({ redhead: false, busy: null, preview: null, report: null });
  }

  /** Switches the 红头; an open preview is laid out again to match. */
  setRedhead(redhead: boolean): void {
    if (this.store.get().redhead === redhead) return;
    this.patch({ redhead });
    if (this.store.get().preview) void this.loadPreview();
  }

  /** Saves, asks the services for the file, hands it to the person and shows what the export noted. */
  async exportFile(format: GongwenFile): Promise<void> {
    if (this.store.get().busy) return;
    this.patch({ busy: format });
    try {
      const file = await this.make(format);
      this.deps.download(file);
      const notes = notesOf(file);
      if (notes.length > 0) this.patch({ report: { fileName: file.fileName, notes } });
      else pushToast('info', translateNow('editorScreen.gongwen.exported', { file: file.fileName }));
    } catch (error) {
      if (error instanceof NotSaved) pushToast('error', translateNow('editorScreen.gongwen.unsaved'));
      else notifyError(error);
    } finally {
      this.patch({ busy: null });
    }
  }

  /** Opens the print preview with the print page of the saved article. */
  openPreview(): Promise<void> {
    this.patch({ preview: { kind: 'loading' } });
    return this.loadPreview();
  }

  /** Closes the preview; notes it showed in place have been read. */
  closePreview(): void {
    this.previewTicket++;
    const { busy } = this.store.get();
    this.patch({ preview: null, report: null, busy: busy === 'print' ? null : busy });
  }

  closeReport(): void {
    this.patch({ report: null });
  }

  private async loadPreview(): Promise<void> {
    const ticket = ++this.previewTicket;
    this.patch({ preview: { kind: 'loading' }, busy: this.store.get().busy ?? 'print' });
    let next: PrintPreviewState;
    try {
      const page = await this.make('print');
      next = { kind: 'ready', html: page.content, notes: notesOf(page) };
    } catch (error) {
      if (!(error instanceof NotSaved)) this.deps.handleSessionLoss(error);
      next = {
        kind: 'failed',
        detail: error instanceof NotSaved ? translateNow('editorScreen.gongwen.unsaved') : this.deps.describeError(error),
      };
    }
    if (ticket !== this.previewTicket) return;
    const { busy } = this.store.get();
    this.patch({ preview: next, busy: busy === 'print' ? null : busy });
  }

  private async make(format: GongwenFile | 'print'): Promise<ExportedFile> {
    // The services export the stored article: a failed save would hand out an older text than the screen shows.
    if (!(await this.deps.flush())) throw new NotSaved();
    return this.deps.invoke('articles:export', { id: this.articleId, format, redhead: this.store.get().redhead });
  }

  private patch(change: Partial<GongwenOutputState>): void {
    this.store.set((state) => ({ ...state, ...change }));
  }
}
