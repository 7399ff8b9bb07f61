import { useState } from 'react';
import { ariaShortcut, useCommand, withShortcut } from '../../../commands/app-commands';
import { Dialog } from '../../../components/Dialog';
import { InlineCheck } from '../../../components/InlineCheck';
import type { EditorSession } from '../../../state/editor-session';
import { useT } from '../../../state/settings';
import { useStore } from '../../../state/store';
import type { GongwenOutput } from './gongwen-output';
import { createGongwenOutput } from './open-gongwen-output';
import { NotesList, PrintPreviewDialog } from './PrintPreview';
import './print-preview.css';

/** The notes of an export made from the toolbar (the print preview shows its own in place). */
function ExportReportDialog({ output, fileName, notes }: { output: GongwenOutput; fileName: string; notes: readonly string[] }) {
  const t = useT();
  return (
    <Dialog
      title={t('editorScreen.gongwen.notesTitle')}
      onClose={() => output.closeReport()}
      footer={
        <button type="button" className="primary" onClick={() => output.closeReport()}>
          {t('common.close')}
        </button>
      }
    >
      <NotesList lead={t('editorScreen.gongwen.notesLead', { file: fileName })} notes={notes} />
    </Dialog>
  );
}

/**
 * The editor's 公文 tools in its top bar: 导出 Word, 导出 PDF, the 红头 switch
 * both follow, and 打印 (which opens the print preview).
 */
export function GongwenTools({ session }: { session: EditorSession }) {
  const t = useT();
  const [output] = useState(() => createGongwenOutput(session));
  const { redhead, busy, preview, report } = useStore(output.store);
  useCommand('print', () => {
    void output.openPreview();
    return true;
  });
  useCommand('export', (request) => {
    if (request.format !== 'docx' && request.format !== 'pdf') return false;
    if (output.store.get().busy === null) void output.exportFile(request.format);
    return true;
  });

  return (
    <>
      <fieldset className="plain-fieldset gongwen-tools" aria-label={t('editorScreen.gongwen.group')} aria-busy={busy !== null}>
        <button type="button" disabled={busy !== null} onClick={() => void output.exportFile('docx')}>
          {t('editorScreen.gongwen.docx')}
        </button>
        <button type="button" disabled={busy !== null} onClick={() => void output.exportFile('pdf')}>
          {t('editorScreen.gongwen.pdf')}
        </button>
        <span className="gongwen-redhead" title={t('editorScreen.gongwen.redheadHint')}>
          <InlineCheck label={t('editorScreen.gongwen.redhead')} checked={redhead} disabled={busy !== null} onChange={(on) => output.setRedhead(on)} />
        </span>
        <button
          type="button"
          title={withShortcut(t('editorScreen.gongwen.print'), 'print')}
          aria-keyshortcuts={ariaShortcut('print')}
          onClick={() => void output.openPreview()}
        >
          {t('editorScreen.gongwen.print')}
        </button>
      </fieldset>
      {busy === 'docx' || busy === 'pdf' ? (
        <span className="muted small" role="status">
          {t('editorScreen.gongwen.working')}
        </span>
      ) : null}
      {preview ? <PrintPreviewDialog output={output} state={preview} /> : null}
      {report && !preview ? <ExportReportDialog output={output} fileName={report.fileName} notes={report.notes} /> : null}
    </>
  );
}
