/**
 * Thumbnails as files next to a page (format: docs/architecture.md, "Page data format"): point i's
 * thumbnail is `<folder>/<floor(i / 1000)>/<i>.<ext>`, so no folder holds more than a thousand
 * files, and the page loads it with a relative `<img src>` on hover (which works from file://, where
 * fetch and XHR do not).
 */
/** Files per thumbnail subfolder (a million points make a thousand folders of a thousand files). */
export const THUMBS_PER_FOLDER = 1000;

/** File extensions by kind; a data URI of another type is no thumbnail (kind -1). */
export const THUMBNAIL_EXT_LIST = ['webp', 'png', 'jpg', 'gif'] as const;
const MIME_KIND: Record<string, number> = { webp: 0, png: 1, jpeg: 2, gif: 3 };
const DATA_URI = /^data:image\/(webp|png|jpeg|gif);base64,/;

/** Kind of a thumbnail data URI: index into THUMBNAIL_EXT_LIST, -1 for none or an unusable one. */
export function thumbnailKind(uri: string | null | undefined): number {
  const m = uri ? DATA_URI.exec(uri) : null;
  return m ? MIME_KIND[m[1]] : -1;
}

/** Path of point i's thumbnail inside the thumbnail folder. */
export function thumbnailFilePath(i: number, kind: number): string {
  return `${Math.floor(i / THUMBS_PER_FOLDER)}/${i}.${THUMBNAIL_EXT_LIST[kind]}`;
}

/** The files of a thumbnail folder (relative paths and bytes), one per point that has a thumbnail. */
export function* thumbnailFiles(
  thumbnails: readonly (string | null)[],
): Generator<{ path: string; data: Uint8Array }> {
  for (let i = 0; i < thumbnails.length; i++) {
    const uri = thumbnails[i];
    const kind = thumbnailKind(uri);
    if (kind < 0) continue;
    const data = Buffer.from(uri!.slice(uri!.indexOf(',') + 1), 'base64');
    yield { path: thumbnailFilePath(i, kind), data };
  }
}
