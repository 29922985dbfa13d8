import sharp, { type Metadata } from 'sharp';

export type RejectionReason = 'not_an_image' | 'too_large' | 'too_many_pixels' | 'product_not_found';
export type Rejection = { ok: false; reason: RejectionReason; detail: string };
export type Sizes = { ok: true; format: string; width: number; height: number; medium: Buffer; thumbnail: Buffer };

export interface SizeOptions {
  thumbnailPx: number;
  mediumPx: number;
  maxInputPixels: number;
}

const reject = (reason: RejectionReason, detail: string): Rejection => ({ ok: false, reason, detail });

/** The image formats accepted, by their first bytes: the name and the declared type prove nothing. */
export function sniffImageFormat(head: Buffer): 'jpeg' | 'png' | 'gif' | 'webp' | 'avif' | undefined {
  const ascii = (from: number, to: number) => head.subarray(from, to).toString('latin1');
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (head.length >= 8 && head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'png';
  if (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a') return 'gif';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  if (ascii(4, 8) === 'ftyp' && ['avif', 'avis'].includes(ascii(8, 12))) return 'avif';
  return undefined;
}

// What sharp calls each sniffed format (AVIF is read through libheif).
const SHARP_FORMAT = { jpeg: 'jpeg', png: 'png', gif: 'gif', webp: 'webp', avif: 'heif' } as const;

/**
 * Checks that `input` is an image of an accepted format by its content, then writes a square thumbnail
 * and a medium size (fit inside, never enlarged) as WebP. Orientation from EXIF is applied first; every
 * other piece of metadata (EXIF, GPS, ICC, XMP) is left out, as sharp does unless asked to keep it.
 */
export async function makeSizes(input: Buffer, options: SizeOptions): Promise<Sizes | Rejection> {
  const sniffed = sniffImageFormat(input);
  if (!sniffed) return reject('not_an_image', 'The file does not start like a JPEG, PNG, GIF, WebP or AVIF image.');
  const open = () => sharp(input, { limitInputPixels: options.maxInputPixels, failOn: 'error', animated: false });
  let meta: Metadata;
  try {
    // Only the header is read here, so the pixel limit is checked below with a reason of its own.
    meta = await sharp(input, { limitInputPixels: false, failOn: 'error' }).metadata();
  } catch (err) {
    return reject('not_an_image', `The file could not be read as an image: ${messageOf(err)}`);
  }
  if (meta.format !== SHARP_FORMAT[sniffed]) {
    return reject('not_an_image', `The file starts like ${sniffed} but reads as ${meta.format ?? 'nothing known'}.`);
  }
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (width * height > options.maxInputPixels) {
    return reject('too_many_pixels', `${width}×${height} is more than ${options.maxInputPixels} pixels.`);
  }
  try {
    const upright = open().rotate();
    const [medium, thumbnail] = await Promise.all([
      upright
        .clone()
        .resize({ width: options.mediumPx, height: options.mediumPx, fit: 'inside', withoutEnlargement: true })
        .webp({ quality: 82 })
        .toBuffer(),
      upright
        .clone()
        .resize({ width: options.thumbnailPx, height: options.thumbnailPx, fit: 'cover', position: 'attention' })
        .webp({ quality: 75 })
        .toBuffer(),
    ]);
    return { ok: true, format: sniffed, width, height, medium, thumbnail };
  } catch (err) {
    // A header that reads but a body that does not decode (truncated, corrupt) is still not an image.
    return reject('not_an_image', `The image could not be decoded: ${messageOf(err)}`);
  }
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err)).slice(0, 200);
