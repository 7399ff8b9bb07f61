import { type PointerEvent as ReactPointerEvent, useEffect, useId, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import {
  CROP_ASPECTS,
  type Crop,
  type CropAspect,
  centredCrop,
  IMAGE_ALIGNS,
  IMAGE_SIZES,
  type ImageAlign,
  type ImageSize,
  type Rotation,
} from '../../../shared/domain/photo';
import type { AddedPhoto } from '../../../shared/api/contract';
import type { Locale } from '../../../shared/domain/settings';
import { translate } from '../../../shared/i18n';

/** What the dialog edits of an image node. */
export interface ImageDialogValue {
  alt: string;
  caption: string;
  align: ImageAlign;
  size: ImageSize;
  rotate: Rotation;
  crop: Crop | null;
}

/** What applying the dialog changes on the node: the fields, and a new working copy when crop or rotation changed. */
export type ImageDialogResult = ImageDialogValue & Partial<Pick<AddedPhoto, 'src' | 'width' | 'height'>>;

interface ImageDialogProps {
  locale: Locale;
  /** URL of the picture the crop is drawn on: the photo's original, else the picture itself. */
  pictureUrl: string;
  /** Crop and rotate need the photo's original (images from before the pipeline, or from the web, have none). */
  canReshape: boolean;
  initial: ImageDialogValue;
  /** Makes the new working copy (the services turn and crop the original). */
  reshape(rotate: Rotation, crop: Crop | null): Promise<AddedPhoto>;
  onApply(result: ImageDialogResult): void;
  onClose(): void;
  /** Puts the cursor in the alt text field (opened from the missing-alt hint). */
  focusAlt?: boolean;
}

/** Largest size of the preview inside the dialog, in CSS pixels. */
const PREVIEW_WIDTH = 520;
const PREVIEW_HEIGHT = 340;
/** A drawn crop smaller than this (fraction of a side) is taken as a click, not a crop. */
const SMALLEST_CROP = 0.03;

type AspectChoice = CropAspect | 'none';
const ASPECT_CHOICES: AspectChoice[] = ['none', 'free', '4:3', '16:9', '1:1'];

function sameCrop(a: Crop | null, b: Crop | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a.x - b.x) < 1e-6 && Math.abs(a.y - b.y) < 1e-6 && Math.abs(a.width - b.width) < 1e-6 && Math.abs(a.height - b.height) < 1e-6;
}

/**
 * The image dialog: crop (free, 4:3, 16:9, 1:1) and rotate, drawn on the
 * photo's original — the services make the new working copy from the
 * original, so nothing is lost by cropping twice — plus alignment, size,
 * alt text and caption. Rendered into <body> so the editor's own key and
 * pointer handling never sees what is typed or drawn here.
 */
export function ImageDialog(props: ImageDialogProps) {
  const { locale, initial } = props;
  const t = (key: Parameters<typeof translate>[1], params?: Parameters<typeof translate>[2]) => translate(locale, key, params);
  const ids = useId();
  const [alt, setAlt] = useState(initial.alt);
  const [caption, setCaption] = useState(initial.caption);
  const [align, setAlign] = useState<ImageAlign>(initial.align);
  const [size, setSize] = useState<ImageSize>(initial.size);
  const [rotate, setRotate] = useState<Rotation>(initial.rotate);
  const [crop, setCrop] = useState<Crop | null>(initial.crop);
  const [aspect, setAspect] = useState<AspectChoice>(initial.crop ? 'free' : 'none');
  const [picture, setPicture] = useState<HTMLImageElement | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const altInput = useRef<HTMLInputElement>(null);
  const drag = useRef<{ x: number; y: number } | null>(null);

  useEffect(() => {
    const image = new Image();
    image.onload = () => setPicture(image);
    image.src = props.pictureUrl;
  }, [props.pictureUrl]);

  useEffect(() => {
    if (props.focusAlt) altInput.current?.focus();
  }, [props.focusAlt]);

  // The picture as it will be after turning, in the original's pixels (the browser already applied the camera's orientation).
  const turned = rotate === 90 || rotate === 270;
  const pictureWidth = picture ? (turned ? picture.naturalHeight : picture.naturalWidth) : 0;
  const pictureHeight = picture ? (turned ? picture.naturalWidth : picture.naturalHeight) : 0;

  useEffect(() => {
    const target = canvas.current;
    if (!target || !picture || pictureWidth === 0) return;
    const scale = Math.min(PREVIEW_WIDTH / pictureWidth, PREVIEW_HEIGHT / pictureHeight, 1);
    target.width = Math.max(1, Math.round(pictureWidth * scale));
    target.height = Math.max(1, Math.round(pictureHeight * scale));
    const context = target.getContext('2d');
    if (!context) return;
    context.translate(target.width / 2, target.height / 2);
    context.rotate((rotate * Math.PI) / 180);
    const w = picture.naturalWidth * scale;
    const h = picture.naturalHeight * scale;
    context.drawImage(picture, -w / 2, -h / 2, w, h);
  }, [picture, rotate, pictureWidth, pictureHeight]);

  const ratio = (choice: AspectChoice): number | null => (choice === 'none' || choice === 'free' ? null : CROP_ASPECTS[choice]);

  const chooseAspect = (choice: AspectChoice) => {
    setAspect(choice);
    const r = ratio(choice);
    if (choice === 'none') setCrop(null);
    else if (r !== null && pictureWidth > 0) setCrop(centredCrop(pictureWidth, pictureHeight, r));
  };

  const turn = (by: 90 | 270) => {
    const next = ((rotate + by) % 360) as Rotation;
    setRotate(next);
    // A crop is a share of the turned picture: it starts again in the new shape.
    const r = ratio(aspect);
    const nextTurned = next === 90 || next === 270;
    const w = picture ? (nextTurned ? picture.naturalHeight : picture.naturalWidth) : 0;
    const h = picture ? (nextTurned ? picture.naturalWidth : picture.naturalHeight) : 0;
    setCrop(r !== null && w > 0 ? centredCrop(w, h, r) : null);
  };

  const pointAt = (event: ReactPointerEvent<HTMLElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    return {
      x: Math.min(1, Math.max(0, (event.clientX - box.left) / box.width)),
      y: Math.min(1, Math.max(0, (event.clientY - box.top) / box.height)),
    };
  };

  const onPointerDown = (event: ReactPointerEvent<HTMLElement>) => {
    if (!props.canReshape || aspect === 'none' || pictureWidth === 0) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    drag.current = pointAt(event);
  };

  const onPointerMove = (event: ReactPointerEvent<HTMLElement>) => {
    const start = drag.current;
    if (!start) return;
    const now = pointAt(event);
    let width = Math.abs(now.x - start.x);
    let height = Math.abs(now.y - start.y);
    const r = ratio(aspect);
    if (r !== null) {
      // Keep the shape in pixels: the height follows the width, shrunk together where it would leave the picture.
      height = (width * pictureWidth) / r / pictureHeight;
      const room = now.y >= start.y ? 1 - start.y : start.y;
      if (height > room) {
        width *= room / height;
        height = room;
      }
    }
    const x = now.x >= start.x ? start.x : start.x - width;
    const y = now.y >= start.y ? start.y : start.y - height;
    if (width >= SMALLEST_CROP && height >= SMALLEST_CROP) setCrop({ x, y, width, height });
  };

  const onPointerUp = () => {
    drag.current = null;
  };

  const apply = async () => {
    const fields = { alt, caption, align, size, rotate, crop };
    if (rotate === initial.rotate && sameCrop(crop, initial.crop)) {
      props.onApply(fields);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const made = await props.reshape(rotate, crop);
      props.onApply({ ...fields, src: made.src, width: made.width, height: made.height });
    } catch (failure) {
      setError(t('photo.failed', { detail: failure instanceof Error ? failure.message : String(failure) }));
    } finally {
      setBusy(false);
    }
  };

  return createPortal(
    <div className="gz-image-dialog-backdrop">
      <div
        className="gz-image-dialog"
        role="dialog"
        aria-modal="true"
        aria-label={t('editor.image.edit')}
        onKeyDown={(event) => {
          if (event.key === 'Escape') props.onClose();
        }}
      >
        <h2>{t('photo.dialog.title')}</h2>
        <div className="gz-image-dialog-body">
          <div className="gz-image-dialog-preview">
            <div
              className={`gz-image-crop-area${props.canReshape && aspect !== 'none' ? ' is-cropping' : ''}`}
              data-testid="image-crop-area"
              onPointerDown={onPointerDown}
              onPointerMove={onPointerMove}
              onPointerUp={onPointerUp}
            >
              <canvas ref={canvas} role="img" aria-label={t('photo.dialog.crop.hint')} />
              {crop && (
                <div
                  className="gz-image-crop"
                  style={{ left: `${crop.x * 100}%`, top: `${crop.y * 100}%`, width: `${crop.width * 100}%`, height: `${crop.height * 100}%` }}
                />
              )}
            </div>
            {picture && <p className="gz-image-dialog-note">{t('photo.dialog.pixels', { width: picture.naturalWidth, height: picture.naturalHeight })}</p>}
          </div>
          <div className="gz-image-dialog-fields">
            <fieldset disabled={!props.canReshape || busy}>
              <legend>{t('photo.dialog.crop')}</legend>
              <div className="gz-segmented">
                {ASPECT_CHOICES.map((choice) => (
                  <label key={choice}>
                    <input type="radio" name={`${ids}-aspect`} checked={aspect === choice} onChange={() => chooseAspect(choice)} />
                    {choice === 'none' ? t('photo.dialog.crop.none') : choice === 'free' ? t('photo.dialog.crop.free') : choice}
                  </label>
                ))}
              </div>
              <p className="gz-image-dialog-note">{t('photo.dialog.crop.hint')}</p>
            </fieldset>
            <fieldset disabled={!props.canReshape || busy}>
              <legend>{t('photo.dialog.rotate')}</legend>
              <button type="button" onClick={() => turn(270)}>
                ⟲ {t('photo.dialog.rotateLeft')}
              </button>
              <button type="button" onClick={() => turn(90)}>
                ⟳ {t('photo.dialog.rotateRight')}
              </button>
            </fieldset>
            <fieldset disabled={busy}>
              <legend>{t('photo.dialog.align')}</legend>
              <div className="gz-segmented">
                {IMAGE_ALIGNS.map((choice) => (
                  <label key={choice}>
                    <input type="radio" name={`${ids}-align`} checked={align === choice} onChange={() => setAlign(choice)} />
                    {t(`photo.dialog.align.${choice}`)}
                  </label>
                ))}
              </div>
            </fieldset>
            <fieldset disabled={busy}>
              <legend>{t('photo.dialog.size')}</legend>
              <div className="gz-segmented">
                {IMAGE_SIZES.map((choice) => (
                  <label key={choice}>
                    <input type="radio" name={`${ids}-size`} checked={size === choice} onChange={() => setSize(choice)} />
                    {t(`photo.dialog.size.${choice}`)}
                  </label>
                ))}
              </div>
            </fieldset>
            <label htmlFor={`${ids}-alt`}>{t('editor.image.alt')}</label>
            <input
              id={`${ids}-alt`}
              ref={altInput}
              value={alt}
              placeholder={t('editor.image.altPlaceholder')}
              onChange={(event) => setAlt(event.target.value)}
              onKeyDown={(event) => {
                if (event.key === 'Enter') void apply();
              }}
            />
            <label htmlFor={`${ids}-caption`}>{t('editor.image.caption')}</label>
            <input
              id={`${ids}-caption`}
              value={caption}
              placeholder={t('editor.image.captionPlaceholder')}
              onChange={(event) => setCaption(event.target.value)}
              onKeyDown={(event) => {
                if (event.key === 'Enter') void apply();
              }}
            />
          </div>
        </div>
        {busy && <p role="status">{t('photo.dialog.processing')}</p>}
        {error && <p role="alert">{error}</p>}
        <div className="gz-image-dialog-actions">
          <button type="button" onClick={props.onClose} disabled={busy}>
            {t('photo.dialog.cancel')}
          </button>
          <button type="button" className="primary" onClick={() => void apply()} disabled={busy}>
            {t('editor.image.done')}
          </button>
        </div>
      </div>
    </div>,
    document.body,
  );
}
