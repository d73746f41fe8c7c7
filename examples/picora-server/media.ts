/**
 * What an uploaded file is, from its first bytes: the client's `Content-Type` and file name are
 * claims, so neither decides what is stored nor what INVALID_FILE_TYPE reports as `received`.
 */

export interface Detected {
  /** The media type the content is, or `application/octet-stream` when no signature matches. */
  type: string;
  ext: string;
  /** Pixel size, for images whose header gives it cheaply (at least 1; 1 when unknown). */
  width: number;
  height: number;
}

const UNKNOWN: Detected = { type: 'application/octet-stream', ext: 'bin', width: 1, height: 1 };

/** The accepted types of each upload endpoint, as its request body's `encoding.contentType` lists them. */
export const ACCEPTED = {
  image: ['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/avif', 'image/svg+xml'],
  video: ['video/mp4', 'video/quicktime', 'video/webm', 'video/x-matroska'],
  audio: ['audio/mpeg', 'audio/aac', 'audio/mp4', 'audio/wav', 'audio/ogg', 'audio/flac'],
} as const;

export function detectMediaType(b: Buffer): Detected {
  return image(b) ?? isoMedia(b) ?? other(b) ?? (looksLikeText(b) ? { ...UNKNOWN, type: 'text/plain', ext: 'txt' } : UNKNOWN);
}

const at = (b: Buffer, offset: number, text: string) => b.length >= offset + text.length && b.toString('latin1', offset, offset + text.length) === text;
const px = (n: number) => (Number.isFinite(n) && n >= 1 ? Math.min(Math.round(n), 2 ** 31 - 1) : 1);
const sized = (type: string, ext: string, width = 1, height = 1): Detected => ({ type, ext, width: px(width), height: px(height) });

function image(b: Buffer): Detected | undefined {
  if (b.length >= 24 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    return sized('image/png', 'png', b.readUInt32BE(16), b.readUInt32BE(20));
  }
  if (b.length >= 10 && (at(b, 0, 'GIF87a') || at(b, 0, 'GIF89a'))) return sized('image/gif', 'gif', b.readUInt16LE(6), b.readUInt16LE(8));
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return sized('image/jpeg', 'jpg', ...jpegSize(b));
  if (at(b, 0, 'RIFF') && at(b, 8, 'WEBP')) return sized('image/webp', 'webp', ...webpSize(b));
  if (at(b, 0, 'BM') && b.length >= 26) return sized('image/bmp', 'bmp', b.readInt32LE(18), Math.abs(b.readInt32LE(22)));
  if (at(b, 0, 'II*\0') || at(b, 0, 'MM\0*')) return sized('image/tiff', 'tiff');
  return svg(b);
}

/** JPEG: the first start-of-frame segment holds height and width. */
function jpegSize(b: Buffer): [number, number] {
  let i = 2;
  while (i + 9 < b.length && b[i] === 0xff) {
    const marker = b[i + 1]!;
    const length = b.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return [b.readUInt16BE(i + 7), b.readUInt16BE(i + 5)];
    i += 2 + length;
  }
  return [1, 1];
}

function webpSize(b: Buffer): [number, number] {
  if (at(b, 12, 'VP8X') && b.length >= 30) return [b.readUIntLE(24, 3) + 1, b.readUIntLE(27, 3) + 1];
  if (at(b, 12, 'VP8L') && b.length >= 25) {
    const bits = b.readUInt32LE(21);
    return [(bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1];
  }
  if (at(b, 12, 'VP8 ') && b.length >= 30) return [b.readUInt16LE(26) & 0x3fff, b.readUInt16LE(28) & 0x3fff];
  return [1, 1];
}

/** SVG is XML text whose root element is `<svg>`; its size comes from width/height, else the viewBox. */
function svg(b: Buffer): Detected | undefined {
  const head = b.subarray(0, 4096).toString('utf8').replace(/^\uFEFF/, '');
  const root = /^\s*(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*(?:<!DOCTYPE[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<svg\b([^>]*)>/i.exec(head);
  if (!root) return undefined;
  const attrs = root[1]!;
  const attr = (name: string) => new RegExp(`\\s${name}\\s*=\\s*["']\\s*([0-9.]+)(?:px)?\\s*["']`, 'i').exec(attrs)?.[1];
  const viewBox = /\sviewBox\s*=\s*["']\s*[-0-9.]+[\s,]+[-0-9.]+[\s,]+([0-9.]+)[\s,]+([0-9.]+)\s*["']/i.exec(attrs);
  return sized('image/svg+xml', 'svg', Number(attr('width') ?? viewBox?.[1]), Number(attr('height') ?? viewBox?.[2]));
}

/** ISO base media files (`ftyp` box): AVIF, MP4, QuickTime, M4A, HEIC, told apart by their brands. */
function isoMedia(b: Buffer): Detected | undefined {
  if (!at(b, 4, 'ftyp') || b.length < 16) return undefined;
  const boxEnd = Math.min(b.readUInt32BE(0), b.length, 256);
  const brands = [b.toString('latin1', 8, 12)];
  for (let i = 16; i + 4 <= boxEnd; i += 4) brands.push(b.toString('latin1', i, i + 4));
  if (brands[0] === 'avif' || brands[0] === 'avis' || (brands.includes('avif') && !brands.includes('heic'))) {
    // The image spatial extents property (`ispe`) carries the size.
    const ispe = b.subarray(0, 64 * 1024).indexOf('ispe', 0, 'latin1');
    return ispe > 0 && ispe + 16 <= b.length ? sized('image/avif', 'avif', b.readUInt32BE(ispe + 8), b.readUInt32BE(ispe + 12)) : sized('image/avif', 'avif');
  }
  if (brands.some((x) => x === 'heic' || x === 'heix' || x === 'mif1')) return sized('image/heic', 'heic');
  if (brands[0] === 'qt  ') return sized('video/quicktime', 'mov');
  if (brands[0] === 'M4A ' || brands[0] === 'M4B ') return sized('audio/mp4', 'm4a');
  return sized('video/mp4', 'mp4');
}

function other(b: Buffer): Detected | undefined {
  if (b.length >= 4 && b.readUInt32BE(0) === 0x1a45dfa3) {
    return b.subarray(0, 64).includes('webm', 0, 'latin1') ? sized('video/webm', 'webm') : sized('video/x-matroska', 'mkv');
  }
  if (at(b, 0, 'ID3')) return sized('audio/mpeg', 'mp3');
  if (b.length >= 2 && b[0] === 0xff && (b[1]! & 0xf6) === 0xf0) return sized('audio/aac', 'aac');
  if (b.length >= 2 && b[0] === 0xff && (b[1]! & 0xe0) === 0xe0 && (b[1]! & 0x06) !== 0) return sized('audio/mpeg', 'mp3');
  if (at(b, 0, 'RIFF') && at(b, 8, 'WAVE')) return sized('audio/wav', 'wav');
  if (at(b, 0, 'OggS')) return sized('audio/ogg', 'ogg');
  if (at(b, 0, 'fLaC')) return sized('audio/flac', 'flac');
  if (at(b, 0, '%PDF-')) return sized('application/pdf', 'pdf');
  if (at(b, 0, 'PK\x03\x04')) return sized('application/zip', 'zip');
  return undefined;
}

function looksLikeText(b: Buffer): boolean {
  const head = b.subarray(0, 1024);
  return head.length > 0 && !head.includes(0) && !head.toString('utf8').includes('\uFFFD');
}
