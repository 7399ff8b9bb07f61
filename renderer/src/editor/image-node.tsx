import { mergeAttributes, Node } from '@tiptap/core';
import { NodeViewWrapper, type ReactNodeViewProps, ReactNodeViewRenderer } from '@tiptap/react';
import { useEffect, useId, useRef, useState } from 'react';
import { translate } from '../../../shared/i18n';
import { useEditorEnv } from './editor-env';

declare module '@tiptap/core' {
  interface Commands<ReturnType> {
    articleImage: {
      /** Inserts a block image; `alt` empty shows the missing-alt hint. */
      insertArticleImage: (attrs: { src: string; alt?: string; caption?: string }) => ReturnType;
    };
  }
}

/** Whether the src points outside the workspace (needs downloading before publishing). */
export function isRemoteSrc(src: string): boolean {
  return /^https?:\/\//i.test(src);
}

function ImageView({ node, updateAttributes, selected, editor }: ReactNodeViewProps) {
  const { locale, resolveSrc, readOnly } = useEditorEnv();
  const t = (key: Parameters<typeof translate>[1]) => translate(locale, key);
  const src = String(node.attrs.src ?? '');
  const alt = String(node.attrs.alt ?? '');
  const caption = String(node.attrs.caption ?? '');
  const [editing, setEditing] = useState(false);
  const altInput = useRef<HTMLInputElement>(null);
  const ids = useId();
  const displaySrc = src.startsWith('data:') || isRemoteSrc(src) ? src : resolveSrc(src);

  useEffect(() => {
    if (editing) altInput.current?.focus();
  }, [editing]);

  const canEdit = !readOnly && editor.isEditable;
  return (
    <NodeViewWrapper
      as="figure"
      className={`gz-image${selected ? ' is-selected' : ''}`}
      data-drag-handle=""
      contentEditable={false}
    >
      <button
        type="button"
        className="gz-image-frame"
        title={t('editor.image.edit')}
        disabled={!canEdit}
        onClick={() => setEditing((open) => !open)}
      >
        <img src={displaySrc} alt={alt} draggable={false} />
      </button>
      <div className="gz-image-hints">
        {alt.trim() === '' && (
          <button type="button" className="gz-hint gz-hint-warning" disabled={!canEdit} onClick={() => setEditing(true)}>
            {t('editor.image.missingAlt')}
          </button>
        )}
        {isRemoteSrc(src) && <span className="gz-hint gz-hint-info">{t('editor.image.remote')}</span>}
      </div>
      {caption !== '' && !editing && <figcaption>{caption}</figcaption>}
      {editing && canEdit && (
        <div className="gz-image-popover" role="dialog" aria-label={t('editor.image.edit')}>
          <label htmlFor={`${ids}-alt`}>{t('editor.image.alt')}</label>
          <input
            id={`${ids}-alt`}
            ref={altInput}
            value={alt}
            placeholder={t('editor.image.altPlaceholder')}
            onChange={(event) => updateAttributes({ alt: event.target.value })}
            onKeyDown={(event) => {
              if (event.key === 'Enter' || event.key === 'Escape') setEditing(false);
            }}
          />
          <label htmlFor={`${ids}-caption`}>{t('editor.image.caption')}</label>
          <input
            id={`${ids}-caption`}
            value={caption}
            placeholder={t('editor.image.captionPlaceholder')}
            onChange={(event) => updateAttributes({ caption: event.target.value })}
            onKeyDown={(event) => {
              if (event.key === 'Enter' || event.key === 'Escape') setEditing(false);
            }}
          />
          <button type="button" onClick={() => setEditing(false)}>
            {t('editor.image.done')}
          </button>
        </div>
      )}
    </NodeViewWrapper>
  );
}

/**
 * A block image with alt text and a caption, stored as `image{src, alt, title, caption}`
 * and rendered like the serializer's `<figure class="article-image">`.
 */
export const ArticleImage = Node.create({
  name: 'image',
  group: 'block',
  atom: true,
  draggable: true,
  selectable: true,

  addAttributes() {
    return {
      src: { default: null },
      alt: {
        default: '',
        parseHTML: (element: HTMLElement) => {
          const img = element.tagName === 'IMG' ? element : element.querySelector('img');
          return img?.getAttribute('alt') ?? '';
        },
      },
      title: {
        default: null,
        parseHTML: (element: HTMLElement) => {
          const img = element.tagName === 'IMG' ? element : element.querySelector('img');
          return img?.getAttribute('title') || null;
        },
      },
      caption: {
        default: '',
        parseHTML: (element: HTMLElement) => element.querySelector('figcaption')?.textContent?.trim() ?? '',
      },
    };
  },

  parseHTML() {
    return [
      {
        tag: 'figure',
        getAttrs: (element: HTMLElement) => {
          const img = element.querySelector('img[src]');
          return img ? { src: img.getAttribute('src') } : false;
        },
      },
      { tag: 'img[src]', getAttrs: (element: HTMLElement) => ({ src: element.getAttribute('src') }) },
    ];
  },

  renderHTML({ node, HTMLAttributes }) {
    const { caption: _caption, ...imgAttrs } = HTMLAttributes;
    const img = ['img', mergeAttributes(imgAttrs)] as const;
    const caption = String(node.attrs.caption ?? '');
    return caption
      ? ['figure', { class: 'article-image' }, img, ['figcaption', {}, caption]]
      : ['figure', { class: 'article-image' }, img];
  },

  renderText({ node }) {
    return String(node.attrs.caption ?? '');
  },

  addCommands() {
    return {
      insertArticleImage:
        (attrs) =>
        ({ commands }) =>
          commands.insertContent({ type: this.name, attrs: { alt: '', caption: '', ...attrs } }),
    };
  },

  addNodeView() {
    return ReactNodeViewRenderer(ImageView);
  },
});
