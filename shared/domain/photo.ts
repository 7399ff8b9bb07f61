import { z } from 'zod';

/**
 * What the image dialog asks of a photo, kept on the image node beside the
 * `original` it was made from, so the edit can be changed or undone later:
 * the pipeline always starts again from the original, never from its own output.
 */

/** Quarter turns clockwise, applied after the camera's own orientation. */
export const RotationSchema = z.union([z.literal(0), z.literal(90), z.literal(180), z.literal(270)]);
export type Rotation = z.infer<typeof RotationSchema>;

/** A crop as fractions (0–1) of the rotated picture, so it does not depend on the picture's size. */
export const CropSchema = z
  .object({
    x: z.number().min(0).max(1),
    y: z.number().min(0).max(1),
    width: z.number().gt(0).max(1),
    height: z.number().gt(0).max(1),
  })
  .refine((c) => c.x + c.width <= 1.000001 && c.y + c.height <= 1.000001, 'the crop must lie inside the picture');
export type Crop = z.infer<typeof CropSchema>;

export const PhotoEditSchema = z.object({
  rotate: RotationSchema.default(0),
  crop: CropSchema.nullable().default(null),
});
export type PhotoEdit = z.infer<typeof PhotoEditSchema>;

/** The crop frames the dialog offers; `free` lets the writer draw any rectangle. */
export const CROP_ASPECTS = { free: null, '4:3': 4 / 3, '16:9': 16 / 9, '1:1': 1 } as const;
export type CropAspect = keyof typeof CROP_ASPECTS;

export const IMAGE_ALIGNS = ['center', 'left', 'right'] as const;
export type ImageAlign = (typeof IMAGE_ALIGNS)[number];
export const IMAGE_SIZES = ['full', 'half'] as const;
export type ImageSize = (typeof IMAGE_SIZES)[number];

/** The largest crop of the given aspect centred in a `width`×`height` picture, as fractions. */
export function centredCrop(width: number, height: number, aspect: number): Crop {
  const pictureAspect = width / height;
  if (pictureAspect > aspect) {
    const w = aspect / pictureAspect;
    return { x: (1 - w) / 2, y: 0, width: w, height: 1 };
  }
  const h = pictureAspect / aspect;
  return { x: 0, y: (1 - h) / 2, width: 1, height: h };
}

/** One published size of a photo, in pixels. */
export interface PixelSize {
  width: number;
  height: number;
}

/**
 * The sizes a photo of `width`×`height` is published at for a site whose
 * pages are at most `maxWidth` wide: the page size (never enlarged) and, when
 * the photo has the pixels for it, a 2× size for high-density screens. Pure,
 * so the HTML can carry width/height before (or without) processing.
 */
export function webSizes(width: number, height: number, maxWidth: number): { normal: PixelSize; double: PixelSize | null } {
  const scaled = (w: number): PixelSize => ({ width: w, height: Math.max(1, Math.round((height * w) / width)) });
  const normal = width <= maxWidth ? { width, height } : scaled(maxWidth);
  const doubleWidth = Math.min(width, maxWidth * 2);
  // A "2×" only a few pixels wider than 1× is not worth a second download.
  const double = doubleWidth >= normal.width * 1.5 ? scaled(doubleWidth) : null;
  return { normal, double };
}
