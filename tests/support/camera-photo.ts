import sharp from 'sharp';

/** The EXIF a phone or camera writes that must never reach a published page. */
export const CAMERA_EXIF = {
  IFD0: { Make: 'Canon', Model: 'Canon EOS 80D', Software: 'Firmware 1.0.3' },
  IFD2: { DateTimeOriginal: '2026:03:14 09:30:00' },
  IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '35/1 18/1 3000/100', GPSLongitudeRef: 'E', GPSLongitude: '113/1 55/1 1200/100' },
};

/**
 * A camera-like JPEG: `width`×`height` stored pixels (landscape, as the sensor
 * writes them) with EXIF orientation 6 (“turn 90° clockwise to show”), camera
 * make and model, capture time and GPS. The top half of the *stored* picture
 * is red and the bottom half blue, so after auto-orientation the left half of
 * the upright picture is blue and the right half red. Gradients and fine
 * texture make it compress like a photo (about 1.5 MB at 4000×3000), not like
 * a flat test card.
 */
export async function cameraPhoto(width = 4000, height = 3000, seed = 1): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  let state = seed >>> 0 || 1;
  for (let y = 0; y < height; y++) {
    const top = y < height / 2;
    for (let x = 0; x < width; x++) {
      state = (state * 1103515245 + 12345) >>> 0;
      const grain = (state >>> 29) - 4;
      const shade = ((x * 97) / width + (y * 61) / height) | 0;
      const i = (y * width + x) * 3;
      pixels[i] = clamp((top ? 200 : 30) + shade + grain);
      pixels[i + 1] = clamp(60 + ((x ^ y) & 31) + grain);
      pixels[i + 2] = clamp((top ? 30 : 200) + shade + grain);
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 88 })
    .withExif(CAMERA_EXIF)
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

function clamp(value: number): number {
  return Math.max(0, Math.min(255, value));
}
