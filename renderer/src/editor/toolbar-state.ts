import type { Editor, EditorStateSnapshot } from '@tiptap/react';
import type { TextAlign } from '../../../shared/domain/doc';

/** Block styles the toolbar's select offers. */
export type BlockStyle = 'paragraph' | 'h1' | 'h2' | 'h3' | 'other';

/** Everything the toolbar draws, derived from the editor state alone. */
export interface ToolbarState {
  editable: boolean;
  block: BlockStyle;
  isBold: boolean;
  canBold: boolean;
  isItalic: boolean;
  canItalic: boolean;
  isUnderline: boolean;
  canUnderline: boolean;
  isStrike: boolean;
  canStrike: boolean;
  isBulletList: boolean;
  isOrderedList: boolean;
  canList: boolean;
  align: TextAlign | null;
  isLink: boolean;
  linkHref: string;
  canLink: boolean;
  inTable: boolean;
  canInsertTable: boolean;
  canAddRow: boolean;
  canAddColumn: boolean;
  canDeleteRow: boolean;
  canDeleteColumn: boolean;
  canDeleteTable: boolean;
  isBlockquote: boolean;
  canBlockquote: boolean;
  canHorizontalRule: boolean;
  canUndo: boolean;
  canRedo: boolean;
  canClearFormatting: boolean;
}

function currentBlock(editor: Editor): BlockStyle {
  if (editor.isActive('paragraph')) return 'paragraph';
  for (const level of [1, 2, 3] as const) {
    if (editor.isActive('heading', { level })) return `h${level}`;
  }
  return 'other';
}

function currentAlign(editor: Editor): TextAlign | null {
  for (const align of ['center', 'right', 'justify', 'left'] as const) {
    if (editor.isActive({ textAlign: align })) return align;
  }
  return null;
}

/** The toolbar's state from the editor's: pure, no side effects (run after each keystroke's frame, see use-toolbar-state). */
export function selectToolbarState({ editor }: EditorStateSnapshot<Editor>): ToolbarState {
  const editable = editor.isEditable;
  const can = () => editor.can().chain();
  const inTable = editor.isActive('table');
  return {
    editable,
    block: currentBlock(editor),
    isBold: editor.isActive('bold'),
    canBold: editable && can().toggleBold().run(),
    isItalic: editor.isActive('italic'),
    canItalic: editable && can().toggleItalic().run(),
    isUnderline: editor.isActive('underline'),
    canUnderline: editable && can().toggleUnderline().run(),
    isStrike: editor.isActive('strike'),
    canStrike: editable && can().toggleStrike().run(),
    isBulletList: editor.isActive('bulletList'),
    isOrderedList: editor.isActive('orderedList'),
    canList: editable && can().toggleBulletList().run(),
    align: currentAlign(editor),
    isLink: editor.isActive('link'),
    linkHref: String(editor.getAttributes('link').href ?? ''),
    canLink: editable && (editor.isActive('link') || !editor.state.selection.empty),
    inTable,
    canInsertTable: editable && !inTable && can().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run(),
    canAddRow: editable && inTable && can().addRowAfter().run(),
    canAddColumn: editable && inTable && can().addColumnAfter().run(),
    canDeleteRow: editable && inTable && can().deleteRow().run(),
    canDeleteColumn: editable && inTable && can().deleteColumn().run(),
    canDeleteTable: editable && inTable && can().deleteTable().run(),
    isBlockquote: editor.isActive('blockquote'),
    canBlockquote: editable && can().toggleBlockquote().run(),
    canHorizontalRule: editable && can().setHorizontalRule().run(),
    canUndo: editable && can().undo().run(),
    canRedo: editable && can().redo().run(),
    canClearFormatting: editable && can().unsetAllMarks().run(),
  };
}
