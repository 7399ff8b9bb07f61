import type { Editor } from '@tiptap/core';
import { useEffect, useRef, useState } from 'react';
import { findingMessage } from '../../../shared/proofread/messages';
import type { Finding } from '../../../shared/proofread/types';
import { pushToast } from '../state/notifications';
import { useLocale, useT } from '../state/settings';
import { applySuggestion, findingsAt } from './marks';
import './proof-mark-menu.css';

interface OpenMenu {
  x: number;
  y: number;
  findings: Finding[];
}

/**
 * Right-click on a proofreading mark: the finding, its suggestion (改为…) and
 * 忽略. The page draws this menu itself, in the browser and in the desktop
 * app alike: a desktop menu could not know the marks, and taking the
 * right-click here keeps the desktop's own editing menu for the rest of the
 * text. Keys: arrows move, Enter chooses, Escape closes and returns to the text.
 */
export function ProofMarkMenu({
  getEditor,
  editorKey,
  readOnly,
  onIgnore,
}: {
  getEditor: () => Editor | null;
  /** Changes when the editor is made anew: its element must be listened to again. */
  editorKey: number;
  readOnly: boolean;
  onIgnore(finding: Finding): void;
}) {
  const t = useT();
  const locale = useLocale();
  const [menu, setMenu] = useState<OpenMenu | null>(null);
  const ref = useRef<HTMLDivElement>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new editor (editorKey) must be listened to again
  useEffect(() => {
    const editor = getEditor();
    if (!editor) return;
    const dom = editor.view.dom;
    const onContextMenu = (event: MouseEvent) => {
      const mark = event.target instanceof Element ? event.target.closest('.gz-proof') : null;
      if (!mark || editor.isDestroyed) return;
      // The start of the clicked mark's own text: a point between two characters (what the pointer's
      // coordinates give) would also touch the mark that ends there.
      const findings = findingsAt(editor.state, editor.view.posAtDOM(mark, 0));
      if (findings.length === 0) return;
      event.preventDefault();
      setMenu({ x: event.clientX, y: event.clientY, findings });
    };
    dom.addEventListener('contextmenu', onContextMenu);
    return () => dom.removeEventListener('contextmenu', onContextMenu);
  }, [getEditor, editorKey]);

  useEffect(() => {
    if (!menu) return;
    ref.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const onPointer = (event: PointerEvent) => {
      if (!ref.current?.contains(event.target as Node)) setMenu(null);
    };
    const onScroll = () => setMenu(null);
    document.addEventListener('pointerdown', onPointer, true);
    window.addEventListener('resize', onScroll);
    return () => {
      document.removeEventListener('pointerdown', onPointer, true);
      window.removeEventListener('resize', onScroll);
    };
  }, [menu]);

  if (!menu) return null;

  const close = () => {
    setMenu(null);
    getEditor()?.view.focus();
  };
  const apply = (finding: Finding) => {
    const editor = getEditor();
    close();
    if (!editor) return;
    if (applySuggestion(editor, finding)) pushToast('info', t('proof.applied', { suggestion: finding.suggestion ?? '' }));
    else pushToast('error', t('proof.stale'));
  };
  const ignore = (finding: Finding) => {
    close();
    onIgnore(finding);
  };
  const onKeyDown = (event: React.KeyboardEvent) => {
    const items = [...(ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const index = items.indexOf(document.activeElement as HTMLElement);
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      close();
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      items[(index + step + items.length) % items.length]?.focus();
    } else if (event.key === 'Tab') {
      event.preventDefault();
      close();
    }
  };

  // Kept inside the window: a menu opened near the right or bottom edge opens towards the middle.
  const style = {
    left: Math.min(menu.x, window.innerWidth - 280),
    top: Math.min(menu.y, window.innerHeight - 60 - 40 * menu.findings.length * 2),
  };
  return (
    <div ref={ref} className="proof-mark-menu" role="menu" aria-label={t('menu.proof.label')} style={style} onKeyDown={onKeyDown}>
      {menu.findings.map((finding, index) => (
        <div key={`${finding.rule}@${finding.start}`}>
          {index > 0 ? <hr /> : null}
          <p className="proof-mark-menu-message">{findingMessage(finding, locale)}</p>
          {finding.suggestion !== undefined && !readOnly ? (
            <button type="button" role="menuitem" tabIndex={-1} onClick={() => apply(finding)}>
              {t('proof.apply', { suggestion: finding.suggestion })}
            </button>
          ) : (
            <p className="proof-mark-menu-message muted">{t('menu.proof.noSuggestion')}</p>
          )}
          <button type="button" role="menuitem" tabIndex={-1} onClick={() => ignore(finding)}>
            {t('menu.proof.ignore')}
          </button>
        </div>
      ))}
    </div>
  );
}
