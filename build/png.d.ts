/** An 8-bit image: each row of `scanlines` is a filter-type byte (0 = none) followed by its RGB or RGBA pixels. */
export interface PngImage {
  width: number;
  height: number;
  alpha: boolean;
  scanlines: Uint8Array;
}

/** zlib level for the pixel data; zlib's default when left out. */
export interface PngOptions {
  level?: number;
}

/** Encodes an 8-bit RGB or RGBA image as PNG bytes. */
export function encodePng(image: PngImage, options?: PngOptions): Buffer;
