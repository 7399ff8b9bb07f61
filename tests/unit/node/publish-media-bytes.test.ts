import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readMediaFile } from '../../../node/services/publish/outbox/payload';
import { storedAssetName } from '../../../node/services/store/assets';

// Two 1×1 PNGs with different pixels.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');
const OTHER_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gazette-media-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('an image read for upload when the job runs', () => {
  it('is sent when its bytes are still an allowed image', async () => {
    const name = storedAssetName('photo.png', PNG);
    writeFileSync(join(dir, name), PNG);
    const data = await readMediaFile({ src: `assets/${name}`, path: join(dir, name), fileName: name, mimeType: 'image/png', alt: '' });
    expect(data.equals(PNG)).toBe(true);
  });

  it('is refused, naming the file, when something else was written under its name after approval', async () => {
    const name = storedAssetName('photo.png', PNG);
    const file = { src: `assets/${name}`, path: join(dir, name), fileName: name, mimeType: 'image/png', alt: '' };
    writeFileSync(join(dir, name), '<html><script>alert(1)</script></html>');
    await expect(readMediaFile(file)).rejects.toThrow(`图片文件“${name}”已被改动`);
    // Another real image under the approved name is refused too: the name is the hash of the approved bytes.
    writeFileSync(join(dir, name), OTHER_PNG);
    await expect(readMediaFile(file)).rejects.toThrow(`图片文件“${name}”已被改动`);
  });
});
