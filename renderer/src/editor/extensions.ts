import type { AnyExtension } from '@tiptap/core';
import { Extension } from '@tiptap/core';
import { Table, TableCell, TableHeader, TableRow } from '@tiptap/extension-table';
import TextAlign from '@tiptap/extension-text-align';
import { Placeholder } from '@tiptap/extensions';
import StarterKit from '@tiptap/starter-kit';
import { PARAGRAPH_ROLES } from '../../../shared/domain/doc';
import { isSafeHref } from '../../../shared/html/serialize';
import { ArticleImage } from './image-node';

/** Callbacks the extensions need from the component, read lazily so they can change. */
export interface ArticleExtensionHooks {
  placeholder: () => string;
  /** Ctrl/⌘+K: the toolbar opens its link form. */
  onLinkShortcut: () => void;
}

/**
 * `role` marks paragraphs the app wrote itself (e.g. the attendees sentence).
 * It must not be copied to the new paragraph when the writer presses Enter.
 */
const ParagraphRole = Extension.create({
  name: 'paragraphRole',
  addGlobalAttributes() {
    return [
      {
        types: ['paragraph'],
        attributes: {
          role: {
            default: null,
            keepOnSplit: false,
            parseHTML: (element: HTMLElement) => {
              const role = element.getAttribute('data-role');
              return role && (PARAGRAPH_ROLES as readonly string[]).includes(role) ? role : null;
            },
            renderHTML: (attributes: Record<string, unknown>) =>
              typeof attributes.role === 'string' ? { 'data-role': attributes.role } : {},
          },
        },
      },
    ];
  },
});

function linkShortcut(hooks: ArticleExtensionHooks) {
  return Extension.create({
    name: 'linkShortcut',
    addKeyboardShortcuts() {
      return {
        'Mod-k': () => {
          hooks.onLinkShortcut();
          return true;
        },
        'Mod-\\': () => this.editor.commands.unsetAllMarks(),
      };
    },
  });
}

/** The article editor's schema and behaviour; node and mark names follow shared/domain/doc.ts. */
export function articleExtensions(hooks: ArticleExtensionHooks): AnyExtension[] {
  return [
    StarterKit.configure({
      // Code blocks are not part of the article model; inline code is.
      codeBlock: false,
      link: {
        openOnClick: false,
        autolink: true,
        linkOnPaste: true,
        defaultProtocol: 'https',
        isAllowedUri: (url, ctx) => isSafeHref(url) && Boolean(ctx.defaultValidate(url)),
        HTMLAttributes: { rel: 'noopener noreferrer nofollow', target: null },
      },
      heading: { levels: [1, 2, 3, 4, 5, 6] },
    }),
    ParagraphRole,
    TextAlign.configure({ types: ['heading', 'paragraph'], alignments: ['left', 'center', 'right', 'justify'] }),
    Table.configure({ resizable: false }),
    TableRow,
    TableHeader,
    TableCell,
    ArticleImage,
    Placeholder.configure({ placeholder: () => hooks.placeholder() }),
    linkShortcut(hooks),
  ];
}
