import { type Editor, useEditorState } from '@tiptap/react';
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import type { Locale } from '../../../shared/domain/settings';
import { type MessageKey, translate } from '../../../shared/i18n';
import { type BlockStyle, selectToolbarState } from './toolbar-state';

/** Links the toolbar accepts: absolute http(s) or mailto. */
export function isValidLinkInput(value: string): boolean {
  const url = value.trim();
  if (/^mailto:[^\s@]+@[^\s@]+$/i.test(url)) return true;
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname !== '';
  } catch {
    return false;
  }
}

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
function shortcut(keys: string): string {
  const names: Record<string, string> = isMac ? { Mod: '⌘', Alt: '⌥', Shift: '⇧' } : { Mod: 'Ctrl', Alt: 'Alt', Shift: 'Shift' };
  return keys
    .split('-')
    .map((key) => names[key] ?? key)
    .join(isMac ? '' : '+');
}

interface ToolbarProps {
  editor: Editor;
  locale: Locale;
  linkRequest: number;
  onPickImages(): void;
}

interface ButtonProps {
  label: string;
  keys?: string;
  active?: boolean;
  disabled?: boolean;
  onClick(): void;
  children: ReactNode;
}

function ToolButton({ label, keys, active, disabled, onClick, children }: ButtonProps) {
  const title = keys ? `${label} (${shortcut(keys)})` : label;
  return (
    <button
      type="button"
      className={`gz-tool${active ? ' is-active' : ''}`}
      title={title}
      aria-label={label}
      aria-pressed={active === undefined ? undefined : active}
      disabled={disabled}
      // Keep the editor's selection: a mousedown on the button would blur it.
      onMouseDown={(event) => event.preventDefault()}
      onClick={onClick}
    >
      {children}
    </button>
  );
}

/** The article editor's formatting toolbar; its state comes from `selectToolbarState`. */
export function Toolbar({ editor, locale, linkRequest, onPickImages }: ToolbarProps) {
  const state = useEditorState({ editor, selector: selectToolbarState });
  const t = (key: MessageKey) => translate(locale, key);
  const tip = (key: MessageKey, keys: string) =>
    translate(locale, 'editor.tooltip', { label: t(key), shortcut: shortcut(keys) });
  const [linkOpen, setLinkOpen] = useState(false);
  const [linkValue, setLinkValue] = useState('');
  const [linkError, setLinkError] = useState(false);
  const linkInput = useRef<HTMLInputElement>(null);
  const chain = () => editor.chain().focus();

  const openLink = () => {
    setLinkValue(String(editor.getAttributes('link').href ?? ''));
    setLinkError(false);
    setLinkOpen(true);
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: the shortcut counter is the trigger
  useEffect(() => {
    if (linkRequest > 0 && editor.isEditable) openLink();
  }, [linkRequest]);
  useEffect(() => {
    if (linkOpen) linkInput.current?.focus();
  }, [linkOpen]);

  const applyLink = (event: FormEvent) => {
    event.preventDefault();
    const url = linkValue.trim();
    if (!isValidLinkInput(url)) {
      setLinkError(true);
      return;
    }
    chain().extendMarkRange('link').setLink({ href: url }).run();
    setLinkOpen(false);
  };

  const setBlock = (value: BlockStyle) => {
    if (value === 'paragraph') chain().setParagraph().run();
    else if (value === 'h1' || value === 'h2' || value === 'h3') {
      chain().setHeading({ level: Number(value.slice(1)) as 1 | 2 | 3 }).run();
    }
  };

  const disabled = !state.editable;
  return (
    <div className="gz-toolbar" role="toolbar" aria-label={t('editor.toolbar')}>
      <div className="gz-tool-group">
        <ToolButton label={tip('editor.undo', 'Mod-Z')} disabled={!state.canUndo} onClick={() => chain().undo().run()}>
          ↶
        </ToolButton>
        <ToolButton label={tip('editor.redo', 'Mod-Shift-Z')} disabled={!state.canRedo} onClick={() => chain().redo().run()}>
          ↷
        </ToolButton>
      </div>
      <div className="gz-tool-group">
        <select
          className="gz-block-select"
          aria-label={t('editor.block')}
          title={t('editor.block')}
          disabled={disabled}
          value={state.block === 'other' ? '' : state.block}
          onChange={(event) => setBlock(event.target.value as BlockStyle)}
        >
          {state.block === 'other' && <option value="">—</option>}
          <option value="paragraph">{t('editor.block.paragraph')}</option>
          <option value="h1">{t('editor.block.h1')}</option>
          <option value="h2">{t('editor.block.h2')}</option>
          <option value="h3">{t('editor.block.h3')}</option>
        </select>
      </div>
      <div className="gz-tool-group">
        <ToolButton label={tip('editor.bold', 'Mod-B')} active={state.isBold} disabled={!state.canBold} onClick={() => chain().toggleBold().run()}>
          <b>B</b>
        </ToolButton>
        <ToolButton label={tip('editor.italic', 'Mod-I')} active={state.isItalic} disabled={!state.canItalic} onClick={() => chain().toggleItalic().run()}>
          <i>I</i>
        </ToolButton>
        <ToolButton label={tip('editor.underline', 'Mod-U')} active={state.isUnderline} disabled={!state.canUnderline} onClick={() => chain().toggleUnderline().run()}>
          <u>U</u>
        </ToolButton>
        <ToolButton label={tip('editor.strike', 'Mod-Shift-S')} active={state.isStrike} disabled={!state.canStrike} onClick={() => chain().toggleStrike().run()}>
          <s>S</s>
        </ToolButton>
        <ToolButton label={tip('editor.clearFormatting', 'Mod-\\')} disabled={!state.canClearFormatting} onClick={() => chain().unsetAllMarks().run()}>
          ⌫
        </ToolButton>
      </div>
      <div className="gz-tool-group">
        <ToolButton label={tip('editor.orderedList', 'Mod-Shift-7')} active={state.isOrderedList} disabled={!state.canList} onClick={() => chain().toggleOrderedList().run()}>
          1.
        </ToolButton>
        <ToolButton label={tip('editor.bulletList', 'Mod-Shift-8')} active={state.isBulletList} disabled={!state.canList} onClick={() => chain().toggleBulletList().run()}>
          •
        </ToolButton>
        <ToolButton label={tip('editor.blockquote', 'Mod-Shift-B')} active={state.isBlockquote} disabled={!state.canBlockquote} onClick={() => chain().toggleBlockquote().run()}>
          ❝
        </ToolButton>
        <ToolButton label={t('editor.horizontalRule')} disabled={!state.canHorizontalRule} onClick={() => chain().setHorizontalRule().run()}>
          ―
        </ToolButton>
      </div>
      <div className="gz-tool-group">
        {(
          [
            ['left', 'editor.align.left', 'Mod-Shift-L', '⇤'],
            ['center', 'editor.align.center', 'Mod-Shift-E', '↔'],
            ['right', 'editor.align.right', 'Mod-Shift-R', '⇥'],
            ['justify', 'editor.align.justify', 'Mod-Shift-J', '☰'],
          ] as const
        ).map(([align, key, keys, glyph]) => (
          <ToolButton
            key={align}
            label={tip(key, keys)}
            active={state.align === align}
            disabled={disabled}
            onClick={() => chain().setTextAlign(align).run()}
          >
            {glyph}
          </ToolButton>
        ))}
      </div>
      <div className="gz-tool-group">
        <ToolButton label={tip('editor.link', 'Mod-K')} active={state.isLink} disabled={!state.canLink} onClick={openLink}>
          🔗
        </ToolButton>
        <ToolButton label={t('editor.image.insert')} disabled={disabled} onClick={onPickImages}>
          🖼
        </ToolButton>
        <ToolButton label={t('editor.table.insert')} disabled={!state.canInsertTable} onClick={() => chain().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run()}>
          ▦
        </ToolButton>
      </div>
      {state.inTable && (
        <div className="gz-tool-group gz-table-tools">
          <ToolButton label={t('editor.table.addRow')} disabled={!state.canAddRow} onClick={() => chain().addRowAfter().run()}>
            ≡+
          </ToolButton>
          <ToolButton label={t('editor.table.addColumn')} disabled={!state.canAddColumn} onClick={() => chain().addColumnAfter().run()}>
            ⦀+
          </ToolButton>
          <ToolButton label={t('editor.table.deleteRow')} disabled={!state.canDeleteRow} onClick={() => chain().deleteRow().run()}>
            ≡−
          </ToolButton>
          <ToolButton label={t('editor.table.deleteColumn')} disabled={!state.canDeleteColumn} onClick={() => chain().deleteColumn().run()}>
            ⦀−
          </ToolButton>
          <ToolButton label={t('editor.table.delete')} disabled={!state.canDeleteTable} onClick={() => chain().deleteTable().run()}>
            ▦✕
          </ToolButton>
        </div>
      )}
      {linkOpen && (
        <form className="gz-link-form" onSubmit={applyLink}>
          <label>
            <span className="gz-visually-hidden">{t('editor.link.url')}</span>
            <input
              ref={linkInput}
              type="text"
              inputMode="url"
              value={linkValue}
              placeholder={t('editor.link.placeholder')}
              aria-invalid={linkError}
              onChange={(event) => {
                setLinkValue(event.target.value);
                setLinkError(false);
              }}
              onKeyDown={(event) => {
                if (event.key === 'Escape') {
                  setLinkOpen(false);
                  editor.commands.focus();
                }
              }}
            />
          </label>
          <button type="submit">{t('editor.link.apply')}</button>
          {state.isLink && (
            <button
              type="button"
              onClick={() => {
                chain().extendMarkRange('link').unsetLink().run();
                setLinkOpen(false);
              }}
            >
              {t('editor.link.remove')}
            </button>
          )}
          <button type="button" onClick={() => setLinkOpen(false)}>
            {translate(locale, 'common.cancel')}
          </button>
          {linkError && (
            <span className="gz-link-error" role="alert">
              {t('editor.link.invalid')}
            </span>
          )}
        </form>
      )}
    </div>
  );
}
