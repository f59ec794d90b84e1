import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import * as fontkit from 'fontkit';

/**
 * The fonts figures draw text with. Every face ships as an npm dependency, so a figure looks the
 * same on a machine without system fonts (CI containers):
 * - DejaVu Sans (`dejavu-fonts-ttf`, Bitstream Vera licence): Latin, Greek, Cyrillic and symbols;
 * - Noto Naskh Arabic and Noto Sans Hebrew (`@embedpdf/fonts-arabic`, `-hebrew`, OFL-1.1);
 * - Noto Sans CJK in its Simplified Chinese, Japanese and Korean cuts (`@embedpdf/fonts-sc`, `-jp`,
 *   `-kr`, OFL-1.1). All three hold the shared ideographs; a label is drawn in the cut of its
 *   language (kana: Japanese, Hangul: Korean, otherwise Chinese), because CJK ideographs with the
 *   same code point are drawn differently in each.
 * A character none of them has is looked up in the system's fonts (see `systemFaceFor`).
 */
export interface FontFace {
  /** Stable key: 'latin', 'arabic', 'hebrew', 'sc', 'jp', 'kr', or 'system:<PostScript name>'. */
  id: string;
  /** The family name the font file declares, which is what resvg matches. */
  family: string;
  /**
   * Families written into the SVG for this face: `family` first, then names the same design goes by
   * elsewhere (Google Fonts, Debian's fonts-noto-cjk, Adobe's Source Han), so a browser that lacks
   * the first finds the next; the SVG adds `sans-serif` last.
   */
  cssFamilies: readonly string[];
  /** Absolute font file paths; a collection (.ttc) names the face by PostScript name. */
  regular: FontFile;
  bold: FontFile;
  /** npm package the files come from, or 'system'. */
  source: string;
}

export interface FontFile {
  path: string;
  /** PostScript name of the face inside a collection file; absent for single-face files. */
  postscriptName?: string;
}

interface BundledFace {
  id: string;
  family: string;
  aliases: string[];
  pkg: string;
  dir: string;
  regular: string;
  bold: string;
}

const BUNDLED: readonly BundledFace[] = [
  {
    id: 'latin',
    family: 'DejaVu Sans',
    aliases: [],
    pkg: 'dejavu-fonts-ttf',
    dir: 'ttf',
    regular: 'DejaVuSans.ttf',
    bold: 'DejaVuSans-Bold.ttf',
  },
  {
    id: 'arabic',
    family: 'Noto Naskh Arabic',
    aliases: ['Noto Sans Arabic'],
    pkg: '@embedpdf/fonts-arabic',
    dir: 'fonts',
    regular: 'NotoNaskhArabic-Regular.ttf',
    bold: 'NotoNaskhArabic-Bold.ttf',
  },
  {
    id: 'hebrew',
    family: 'Noto Sans Hebrew',
    aliases: [],
    pkg: '@embedpdf/fonts-hebrew',
    dir: 'fonts',
    regular: 'NotoSansHebrew-Regular.ttf',
    bold: 'NotoSansHebrew-Bold.ttf',
  },
  {
    id: 'sc',
    family: 'Noto Sans S Chinese',
    aliases: ['Noto Sans SC', 'Noto Sans CJK SC', 'Source Han Sans SC'],
    pkg: '@embedpdf/fonts-sc',
    dir: 'fonts',
    regular: 'NotoSansHans-Regular.otf',
    bold: 'NotoSansHans-Bold.otf',
  },
  {
    id: 'jp',
    family: 'Noto Sans Japanese',
    aliases: ['Noto Sans JP', 'Noto Sans CJK JP', 'Source Han Sans JP'],
    pkg: '@embedpdf/fonts-jp',
    dir: 'fonts',
    regular: 'NotoSansJP-Regular.otf',
    bold: 'NotoSansJP-Bold.otf',
  },
  {
    id: 'kr',
    family: 'Noto Sans Korean',
    aliases: ['Noto Sans KR', 'Noto Sans CJK KR', 'Source Han Sans KR'],
    pkg: '@embedpdf/fonts-kr',
    dir: 'fonts',
    regular: 'NotoSansKR-Regular.otf',
    bold: 'NotoSansKR-Bold.otf',
  },
];

const require = createRequire(import.meta.url);

/** Root folder of an installed package, also for packages whose `exports` hide package.json. */
function packageDir(pkg: string): string {
  try {
    return dirname(require.resolve(`${pkg}/package.json`));
  } catch {
    // `exports` without ./package.json: walk up from the main entry
  }
  let dir = dirname(require.resolve(pkg));
  for (;;) {
    try {
      if (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name === pkg) return dir;
    } catch {
      // no package.json at this level: keep walking up
    }
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find the folder of package ${pkg}`);
    dir = up;
  }
}

let bundled: Map<string, FontFace> | undefined;

/** The bundled faces by id ('latin', 'arabic', 'hebrew', 'sc', 'jp', 'kr'). */
export function bundledFaces(): ReadonlyMap<string, FontFace> {
  if (!bundled) {
    bundled = new Map();
    for (const b of BUNDLED) {
      const dir = join(packageDir(b.pkg), b.dir);
      bundled.set(b.id, {
        id: b.id,
        family: b.family,
        cssFamilies: [b.family, ...b.aliases],
        regular: { path: join(dir, b.regular) },
        bold: { path: join(dir, b.bold) },
        source: b.pkg,
      });
    }
  }
  return bundled;
}

/** The face of Latin, Greek and Cyrillic text, and of the SVG root. */
export function latinFace(): FontFace {
  return bundledFaces().get('latin') as FontFace;
}

/**
 * What the text layout reads of a parsed font (a fontkit `Font`). Declared here so that the package's
 * type declarations do not import fontkit's types, which its consumers do not have.
 */
export interface LoadedFont {
  readonly unitsPerEm: number;
  hasGlyphForCodePoint(codePoint: number): boolean;
  layout(text: string): { advanceWidth: number };
}

const loaded = new Map<string, LoadedFont>();

/** The parsed font of one face and weight (fontkit), loaded on first use and kept. */
export function loadFont(face: FontFace, bold: boolean): LoadedFont {
  const file = bold ? face.bold : face.regular;
  const key = `${file.path}#${file.postscriptName ?? ''}`;
  let font = loaded.get(key);
  if (!font) {
    const parsed = fontkit.create(readFileSync(file.path), file.postscriptName);
    if (!('hasGlyphForCodePoint' in parsed)) throw new Error(`${file.path} is a font collection`);
    font = parsed;
    loaded.set(key, font);
  }
  return font;
}

/** Where operating systems keep fonts; only folders that exist are read. */
function systemFontDirs(): string[] {
  if (process.platform === 'win32') return [join(process.env.WINDIR ?? 'C:\\Windows', 'Fonts')];
  if (process.platform === 'darwin') {
    return ['/System/Library/Fonts', '/Library/Fonts', join(homedir(), 'Library/Fonts')];
  }
  return ['/usr/share/fonts', '/usr/local/share/fonts', join(homedir(), '.local/share/fonts')];
}

/** Enough for any desktop; keeps a pathological folder from stalling a figure. */
const MAX_SYSTEM_FILES = 3000;

function listFontFiles(dir: string, out: string[], depth: number): void {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return;
  }
  for (const name of names) {
    if (out.length >= MAX_SYSTEM_FILES) return;
    const p = join(dir, name);
    let isDir = false;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      continue;
    }
    if (isDir) {
      if (depth < 6) listFontFiles(p, out, depth + 1);
    } else if (/\.(ttf|otf|ttc)$/i.test(name)) out.push(p);
  }
}

interface SystemFont {
  path: string;
  font: fontkit.Font;
}

let systemFonts: SystemFont[] | undefined;
let systemFilesRead = 0;
let systemFiles: string[] | undefined;

/** Opens the next system font file (all faces of a collection); false when none is left. */
function openNextSystemFile(): boolean {
  if (!systemFiles) {
    systemFiles = [];
    for (const d of systemFontDirs()) listFontFiles(d, systemFiles, 0);
  }
  systemFonts ??= [];
  while (systemFilesRead < systemFiles.length) {
    const path = systemFiles[systemFilesRead++];
    try {
      const parsed = fontkit.create(readFileSync(path));
      const faces = 'fonts' in parsed ? parsed.fonts : [parsed];
      for (const font of faces) systemFonts.push({ path, font });
      return true;
    } catch {
      // not a font fontkit can read (bitmap-only, damaged): skip it
    }
  }
  return false;
}

const systemFaces = new Map<string, FontFace>();

/**
 * A system font that has `codePoint`, for characters no bundled face covers (rare ideographs of
 * CJK extension planes, scripts beyond those listed above); null when there is none. Files are
 * opened lazily in sorted path order, so the choice is the same on every run of one machine.
 */
export function systemFaceFor(codePoint: number): FontFace | null {
  let i = 0;
  for (;;) {
    const fonts = systemFonts ?? [];
    for (; i < fonts.length; i++) {
      const { path, font } = fonts[i];
      if (!font.hasGlyphForCodePoint(codePoint)) continue;
      const id = `system:${font.postscriptName}`;
      let face = systemFaces.get(id);
      if (!face) {
        const family = font.getName('preferredFamily', 'en') ?? font.familyName;
        const file: FontFile = { path, postscriptName: font.postscriptName };
        face = { id, family, cssFamilies: [family], regular: file, bold: file, source: 'system' };
        systemFaces.set(id, face);
        loaded.set(`${path}#${font.postscriptName}`, font);
      }
      return face;
    }
    if (!openNextSystemFile()) return null;
  }
}
