import type { Editor } from '@tiptap/react';
import {
  BetweenHorizontalEndIcon,
  BetweenVerticalEndIcon,
  BoldIcon,
  Columns3Icon,
  ImageIcon,
  ItalicIcon,
  LinkIcon,
  ListIcon,
  ListOrderedIcon,
  type LucideIcon,
  MinusIcon,
  QuoteIcon,
  Redo2Icon,
  RemoveFormattingIcon,
  Rows3Icon,
  StrikethroughIcon,
  TableIcon,
  TextAlignCenterIcon,
  TextAlignEndIcon,
  TextAlignJustifyIcon,
  TextAlignStartIcon,
  Trash2Icon,
  UnderlineIcon,
  Undo2Icon,
} from 'lucide-react';
import { type FocusEvent, type FormEvent, type KeyboardEvent, type RefObject, useEffect, useRef, useState } from 'react';
import type { Locale } from '../../../shared/domain/settings';
import { type MessageKey, translate } from '../../../shared/i18n';
import type { BlockStyle } from './toolbar-state';
import { useToolbarState } from './use-toolbar-state';

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
  /** The action's name, shown as the fallback text when the icon cannot be drawn. */
  name: string;
  /** The shortcut in `Mod-Shift-X` form, named in the tooltip and announced to screen readers. */
  keys?: string;
  icon: LucideIcon;
  active?: boolean;
  disabled?: boolean;
  onClick(): void;
  locale: Locale;
}

function ToolButton({ name, keys, icon: Icon, active, disabled, onClick, locale }: ButtonProps) {
  const label = keys ? translate(locale, 'editor.tooltip', { label: name, shortcut: shortcut(keys) }) : name;
  return (
    <button
      type="button"
      className={`gz-tool${active ? ' is-active' : ''}`}
      title={label}
      aria-label={label}
      aria-keyshortcuts={keys ? keys.replace('Mod', isMac ? 'Meta' : 'Control').replaceAll('-', '+') : undefined}
      aria-pressed={active === undefined ? undefined : active}
      disabled={disabled}
      data-toolbar-item=""
      // Keep the editor's selection: a mousedown on the button would blur it.
      onMouseDown={(event) => event.preventDefault()}
      onClick={onClick}
    >
      <Icon className="gz-tool-icon" aria-hidden="true" focusable="false" size={18} strokeWidth={2} />
      {/* Shown instead of the icon when the SVG cannot be drawn (see editor.css). */}
      <span className="gz-tool-fallback">{name}</span>
    </button>
  );
}

/**
 * One Tab stop for the whole toolbar (the WAI-ARIA toolbar pattern): the
 * item last used keeps tabindex 0, the others -1; arrow keys, Home and End
 * move between the enabled items.
 */
function useRovingTabIndex(toolbar: RefObject<HTMLDivElement | null>) {
  const current = useRef<Element | null>(null);
  const items = () =>
    Array.from(toolbar.current?.querySelectorAll<HTMLElement>('[data-toolbar-item]') ?? []).filter(
      (item) => !(item as HTMLButtonElement).disabled,
    );
  // After every render: buttons come and go (table tools) and get disabled.
  useEffect(() => {
    const enabled = items();
    const chosen = enabled.find((item) => item === current.current) ?? enabled[0];
    for (const item of toolbar.current?.querySelectorAll<HTMLElement>('[data-toolbar-item]') ?? []) {
      item.tabIndex = item === chosen ? 0 : -1;
    }
  });
  const onFocus = (event: FocusEvent) => {
    const target = event.target as HTMLElement;
    if (!target.hasAttribute('data-toolbar-item')) return;
    current.current = target;
    for (const item of items()) item.tabIndex = item === target ? 0 : -1;
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const target = event.target as HTMLElement;
    if (!target.hasAttribute('data-toolbar-item')) return;
    const enabled = items();
    const at = enabled.indexOf(target);
    let next: number | null = null;
    if (event.key === 'ArrowRight') next = (at + 1) % enabled.length;
    else if (event.key === 'ArrowLeft') next = (at - 1 + enabled.length) % enabled.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = enabled.length - 1;
    if (next === null || enabled.length === 0) return;
    event.preventDefault();
    enabled[next]?.focus();
  };
  return { onFocus, onKeyDown };
}

/** The article editor's formatting toolbar; its state comes from `selectToolbarState`, worked out after each keystroke's frame. */
export function Toolbar({ editor, locale, linkRequest, onPickImages }: ToolbarProps) {
  const state = useToolbarState(editor);
  const t = (key: MessageKey) => translate(locale, key);
  const toolbarRef = useRef<HTMLDivElement>(null);
  const roving = useRovingTabIndex(toolbarRef);
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
    <div
      ref={toolbarRef}
      className="gz-toolbar"
      role="toolbar"
      aria-label={t('editor.toolbar')}
      onFocus={roving.onFocus}
      onKeyDown={roving.onKeyDown}
    >
      <div className="gz-tool-group">
        <ToolButton locale={locale} name={t('editor.undo')} keys="Mod-Z" icon={Undo2Icon} disabled={!state.canUndo} onClick={() => chain().undo().run()} />
        <ToolButton locale={locale} name={t('editor.redo')} keys="Mod-Shift-Z" icon={Redo2Icon} disabled={!state.canRedo} onClick={() => chain().redo().run()} />
      </div>
      <div className="gz-tool-group">
        <select
          className="gz-block-select"
          data-toolbar-item=""
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
        <ToolButton locale={locale} name={t('editor.bold')} keys="Mod-B" icon={BoldIcon} active={state.isBold} disabled={!state.canBold} onClick={() => chain().toggleBold().run()} />
        <ToolButton locale={locale} name={t('editor.italic')} keys="Mod-I" icon={ItalicIcon} active={state.isItalic} disabled={!state.canItalic} onClick={() => chain().toggleItalic().run()} />
        <ToolButton locale={locale} name={t('editor.underline')} keys="Mod-U" icon={UnderlineIcon} active={state.isUnderline} disabled={!state.canUnderline} onClick={() => chain().toggleUnderline().run()} />
        <ToolButton locale={locale} name={t('editor.strike')} keys="Mod-Shift-S" icon={StrikethroughIcon} active={state.isStrike} disabled={!state.canStrike} onClick={() => chain().toggleStrike().run()} />
        <ToolButton locale={locale} name={t('editor.clearFormatting')} keys={'Mod-\\'} icon={RemoveFormattingIcon} disabled={!state.canClearFormatting} onClick={() => chain().unsetAllMarks().run()} />
      </div>
      <div className="gz-tool-group">
        <ToolButton locale={locale} name={t('editor.orderedList')} keys="Mod-Shift-7" icon={ListOrderedIcon} active={state.isOrderedList} disabled={!state.canList} onClick={() => chain().toggleOrderedList().run()} />
        <ToolButton locale={locale} name={t('editor.bulletList')} keys="Mod-Shift-8" icon={ListIcon} active={state.isBulletList} disabled={!state.canList} onClick={() => chain().toggleBulletList().run()} />
        <ToolButton locale={locale} name={t('editor.blockquote')} keys="Mod-Shift-B" icon={QuoteIcon} active={state.isBlockquote} disabled={!state.canBlockquote} onClick={() => chain().toggleBlockquote().run()} />
        <ToolButton locale={locale} name={t('editor.horizontalRule')} icon={MinusIcon} disabled={!state.canHorizontalRule} onClick={() => chain().setHorizontalRule().run()} />
      </div>
      <div className="gz-tool-group">
        {(
          [
            ['left', 'editor.align.left', 'Mod-Shift-L', TextAlignStartIcon],
            ['center', 'editor.align.center', 'Mod-Shift-E', TextAlignCenterIcon],
            ['right', 'editor.align.right', 'Mod-Shift-R', TextAlignEndIcon],
            ['justify', 'editor.align.justify', 'Mod-Shift-J', TextAlignJustifyIcon],
          ] as const
        ).map(([align, key, keys, icon]) => (
          <ToolButton
            key={align}
            locale={locale}
            name={t(key)}
            keys={keys}
            icon={icon}
            active={state.align === align}
            disabled={disabled}
            onClick={() => chain().setTextAlign(align).run()}
          />
        ))}
      </div>
      <div className="gz-tool-group">
        <ToolButton locale={locale} name={t('editor.link')} keys="Mod-K" icon={LinkIcon} active={state.isLink} disabled={!state.canLink} onClick={openLink} />
        <ToolButton locale={locale} name={t('editor.image.insert')} icon={ImageIcon} disabled={disabled} onClick={onPickImages} />
        <ToolButton locale={locale} name={t('editor.table.insert')} icon={TableIcon} disabled={!state.canInsertTable} onClick={() => chain().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run()} />
      </div>
      {state.inTable && (
        <div className="gz-tool-group gz-table-tools">
          <ToolButton locale={locale} name={t('editor.table.addRow')} icon={BetweenHorizontalEndIcon} disabled={!state.canAddRow} onClick={() => chain().addRowAfter().run()} />
          <ToolButton locale={locale} name={t('editor.table.addColumn')} icon={BetweenVerticalEndIcon} disabled={!state.canAddColumn} onClick={() => chain().addColumnAfter().run()} />
          <ToolButton locale={locale} name={t('editor.table.deleteRow')} icon={Rows3Icon} disabled={!state.canDeleteRow} onClick={() => chain().deleteRow().run()} />
          <ToolButton locale={locale} name={t('editor.table.deleteColumn')} icon={Columns3Icon} disabled={!state.canDeleteColumn} onClick={() => chain().deleteColumn().run()} />
          <ToolButton locale={locale} name={t('editor.table.delete')} icon={Trash2Icon} disabled={!state.canDeleteTable} onClick={() => chain().deleteTable().run()} />
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
