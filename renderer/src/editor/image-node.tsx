import { mergeAttributes, Node } from '@tiptap/core';
import { NodeViewWrapper, type ReactNodeViewProps, ReactNodeViewRenderer } from '@tiptap/react';
import { useState } from 'react';
import { CropSchema, IMAGE_ALIGNS, IMAGE_SIZES, type ImageAlign, type ImageSize, RotationSchema } from '../../../shared/domain/photo';
import { translate } from '../../../shared/i18n';
import { useEditorEnv } from './editor-env';
import { ImageDialog } from './image-dialog';

declare module '@tiptap/core' {
  interface Commands<ReturnType> {
    articleImage: {
      /** Inserts a block image; `alt` empty shows the missing-alt hint. */
      insertArticleImage: (attrs: { src: string; alt?: string; caption?: string; original?: string; width?: number; height?: number }) => ReturnType;
    };
  }
}

/** Whether the src points outside the workspace (needs downloading before publishing). */
export function isRemoteSrc(src: string): boolean {
  return /^https?:\/\//i.test(src);
}

function ImageView({ node, updateAttributes, selected, editor }: ReactNodeViewProps) {
  const { locale, resolveSrc, readOnly, editPhoto } = useEditorEnv();
  const t = (key: Parameters<typeof translate>[1]) => translate(locale, key);
  const src = String(node.attrs.src ?? '');
  const alt = String(node.attrs.alt ?? '');
  const caption = String(node.attrs.caption ?? '');
  const original = typeof node.attrs.original === 'string' && node.attrs.original !== '' ? node.attrs.original : null;
  const align = (IMAGE_ALIGNS as readonly string[]).includes(node.attrs.align) ? (node.attrs.align as ImageAlign) : 'center';
  const size = (IMAGE_SIZES as readonly string[]).includes(node.attrs.size) ? (node.attrs.size as ImageSize) : 'full';
  const [editing, setEditing] = useState<null | 'all' | 'alt'>(null);
  const shown = (value: string) => (value.startsWith('data:') || isRemoteSrc(value) ? value : resolveSrc(value));

  const canEdit = !readOnly && editor.isEditable;
  return (
    <NodeViewWrapper
      as="figure"
      className={`gz-image gz-align-${align} gz-size-${size}${selected ? ' is-selected' : ''}`}
      data-drag-handle=""
      contentEditable={false}
    >
      <button type="button" className="gz-image-frame" title={t('editor.image.edit')} disabled={!canEdit} onClick={() => setEditing('all')}>
        <img src={shown(src)} alt={alt} draggable={false} />
      </button>
      <div className="gz-image-hints">
        {alt.trim() === '' && (
          <button type="button" className="gz-hint gz-hint-warning" disabled={!canEdit} onClick={() => setEditing('alt')}>
            {t('editor.image.missingAlt')}
          </button>
        )}
        {isRemoteSrc(src) && <span className="gz-hint gz-hint-info">{t('editor.image.remote')}</span>}
      </div>
      {caption !== '' && <figcaption>{caption}</figcaption>}
      {editing && canEdit && (
        <ImageDialog
          locale={locale}
          pictureUrl={shown(original ?? src)}
          canReshape={original !== null && editPhoto !== undefined}
          focusAlt={editing === 'alt'}
          initial={{
            alt,
            caption,
            align,
            size,
            rotate: RotationSchema.safeParse(node.attrs.rotate).data ?? 0,
            crop: CropSchema.safeParse(node.attrs.crop).data ?? null,
          }}
          reshape={(rotate, crop) => (original && editPhoto ? editPhoto(original, { rotate, crop }) : Promise.reject(new Error('no original')))}
          onApply={(result) => {
            updateAttributes(result);
            setEditing(null);
          }}
          onClose={() => setEditing(null)}
        />
      )}
    </NodeViewWrapper>
  );
}

/** An attribute kept in the doc but not written onto the <img> (the figure or the pipeline uses it). */
const docOnly = (fallback: unknown) => ({ default: fallback, renderHTML: () => ({}), parseHTML: () => fallback });

/** A pixel size from the <img>'s width/height attributes, as the serializer writes them. */
const pixelAttr = (name: 'width' | 'height') => ({
  default: null,
  parseHTML: (element: HTMLElement) => {
    const img = element.tagName === 'IMG' ? element : element.querySelector('img');
    const value = Number(img?.getAttribute(name));
    return Number.isInteger(value) && value > 0 ? value : null;
  },
});

/**
 * A block image with alt text and a caption, stored as `image{src, alt, title, caption}`
 * plus, for photos, `original`, `width`, `height`, and the dialog's `rotate`, `crop`,
 * `align` and `size`,
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
      width: pixelAttr('width'),
      height: pixelAttr('height'),
      // The photo's original in the article's assets: crop and rotate start again from it.
      original: docOnly(null),
      rotate: docOnly(0),
      crop: docOnly(null),
      align: docOnly('center'),
      size: docOnly('full'),
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
    let figureClass = 'article-image';
    if (node.attrs.align === 'left' || node.attrs.align === 'right') figureClass += ` align-${node.attrs.align}`;
    if (node.attrs.size === 'half') figureClass += ' size-half';
    return caption ? ['figure', { class: figureClass }, img, ['figcaption', {}, caption]] : ['figure', { class: figureClass }, img];
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
