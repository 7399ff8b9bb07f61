import { useEffect, useRef, useState } from 'react';
import { Dialog } from '../../../components/Dialog';
import { InlineCheck } from '../../../components/InlineCheck';
import { pushToast } from '../../../state/notifications';
import { useT } from '../../../state/settings';
import { useStore } from '../../../state/store';
import type { GongwenOutput, PrintPreviewState } from './gongwen-output';
import { fitPageZoom, measurePages, pageNumberSide, pageNumberText, sheetDocument } from './print-pages';
import './print-preview.css';

/** What an export or the layout noted, as a list the person can read before closing. */
export function NotesList({ lead, notes }: { lead: string; notes: readonly string[] }) {
  return (
    <div className="gongwen-notes" role="status">
      <p>{lead}</p>
      <ul>
        {notes.map((note) => (
          <li key={note}>{note}</li>
        ))}
      </ul>
    </div>
  );
}

/**
 * 打印预览: the services' print page, sheet by sheet at A4 size. Two kinds of
 * frame show it, neither running any script:
 * - one hidden frame holds the whole page for counting its pages and for
 *   printing. It is same-origin so the app can measure it and call its
 *   print(), and allowed modals because print() is one; with no
 *   allow-scripts nothing in the page can run, and the page is the services'
 *   own escaped output with its images inlined.
 * - each visible sheet is a frame with no permissions at all, like the
 *   portal preview's, showing one page's column of the same document.
 */
export function PrintPreviewDialog({ output, state }: { output: GongwenOutput; state: PrintPreviewState }) {
  const t = useT();
  const { redhead, busy, report } = useStore(output.store);
  const sourceRef = useRef<HTMLIFrameElement>(null);
  const html = state.kind === 'ready' ? state.html : null;
  // Counted per print page: switching the 红头 brings a new page to count.
  const [counted, setCounted] = useState<{ html: string; pages: number } | null>(null);
  const pages = html !== null && counted?.html === html ? counted.pages : null;
  // 整页 shows a whole sheet at once, as a print preview does; 实际大小 is A4 at 100 % for reading.
  const [fitPage, setFitPage] = useState(true);
  const [viewportHeight, setViewportHeight] = useState(() => window.innerHeight);
  useEffect(() => {
    const onResize = () => setViewportHeight(window.innerHeight);
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  const zoom = fitPage ? fitPageZoom(viewportHeight) : 1;

  const measure = async (of: string) => {
    const doc = sourceRef.current?.contentDocument;
    if (!doc) return;
    // Page breaks depend on the fonts: count once the fallbacks are in.
    await doc.fonts?.ready;
    if (sourceRef.current?.contentDocument === doc) setCounted({ html: of, pages: measurePages(doc) });
  };

  const print = () => {
    try {
      const frame = sourceRef.current?.contentWindow;
      if (!frame) throw new Error('no print frame');
      frame.focus();
      frame.print();
    } catch (error) {
      pushToast('error', t('editorScreen.print.printFailed', { detail: error instanceof Error ? error.message : String(error) }));
    }
  };

  return (
    <Dialog
      title={t('editorScreen.print.title')}
      onClose={() => output.closePreview()}
      size="large"
      footer={
        <>
          <span className="gongwen-redhead" title={t('editorScreen.gongwen.redheadHint')}>
            <InlineCheck
              label={t('editorScreen.gongwen.redhead')}
              checked={redhead}
              disabled={busy !== null}
              onChange={(on) => output.setRedhead(on)}
            />
          </span>
          <button type="button" disabled={busy !== null} onClick={() => void output.exportFile('docx')}>
            {t('editorScreen.gongwen.docx')}
          </button>
          <button type="button" disabled={busy !== null} onClick={() => void output.exportFile('pdf')}>
            {t('editorScreen.gongwen.pdf')}
          </button>
          <button type="button" className="primary" disabled={pages === null} onClick={print}>
            {t('editorScreen.gongwen.print')}
          </button>
          <button type="button" onClick={() => output.closePreview()}>
            {t('common.close')}
          </button>
        </>
      }
    >
      <div className="print-preview" data-testid="print-preview">
        {state.kind === 'loading' ? <p className="muted">{t('editorScreen.print.loading')}</p> : null}
        {state.kind === 'failed' ? (
          <div className="banner banner-error" role="alert">
            {t('editorScreen.print.failed', { detail: state.detail })}
          </div>
        ) : null}
        {report ? (
          <div className="gongwen-report">
            <NotesList lead={t('editorScreen.gongwen.notesLead', { file: report.fileName })} notes={report.notes} />
            <button type="button" className="small" onClick={() => output.closeReport()}>
              {t('common.close')}
            </button>
          </div>
        ) : null}
        {html !== null ? (
          <>
            {state.kind === 'ready' && state.notes.length > 0 ? (
              <details className="gongwen-layout-notes">
                <summary>
                  {t('editorScreen.print.notes')}（{state.notes.length}）
                </summary>
                <ul>
                  {state.notes.map((note) => (
                    <li key={note}>{note}</li>
                  ))}
                </ul>
              </details>
            ) : null}
            <div className="print-preview-bar">
              <p className="muted small" data-testid="print-page-count">
                {pages === null ? t('editorScreen.print.loading') : t('editorScreen.print.pages', { n: pages })}
              </p>
              <fieldset className="plain-fieldset segmented" aria-label={t('editorScreen.print.zoom')}>
                <button type="button" aria-pressed={fitPage} onClick={() => setFitPage(true)}>
                  {t('editorScreen.print.fitPage')}
                </button>
                <button type="button" aria-pressed={!fitPage} onClick={() => setFitPage(false)}>
                  {t('editorScreen.print.actualSize')}
                </button>
              </fieldset>
            </div>
            <iframe
              ref={sourceRef}
              className="print-source"
              title={t('editorScreen.print.title')}
              sandbox="allow-same-origin allow-modals"
              referrerPolicy="no-referrer"
              srcDoc={sheetDocument(html, 0)}
              onLoad={() => void measure(html)}
              tabIndex={-1}
              aria-hidden="true"
            />
            <div className="print-sheets" style={{ zoom }} data-zoom={zoom.toFixed(3)}>
              {Array.from({ length: pages ?? 0 }, (_, index) => {
                const number = index + 1;
                return (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a sheet is its page number
                  <div key={index} className="print-sheet" data-page={number}>
                    <iframe
                      className="print-sheet-frame"
                      title={t('editorScreen.print.page', { n: number })}
                      sandbox=""
                      referrerPolicy="no-referrer"
                      srcDoc={sheetDocument(html, index)}
                      tabIndex={-1}
                    />
                    <span className={`print-page-number print-page-number-${pageNumberSide(number)}`}>{pageNumberText(number)}</span>
                  </div>
                );
              })}
            </div>
          </>
        ) : null}
      </div>
    </Dialog>
  );
}
