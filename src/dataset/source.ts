/**
 * One `--data` value, whatever its form, detected from what is on disk:
 * - a file: a CSV list (`path[,label]`, see csv-list.ts);
 * - a folder holding MNIST-family IDX files, directly, in `raw/`, or in `<Name>/raw/` (mnist-folder.ts);
 * - a folder of sub-folders: torchvision's ImageFolder, scanned exactly as before (image-folder.ts);
 * - a folder of images with no sub-folders: a flat folder of unlabelled images (flat-folder.ts).
 * A folder holding both images and sub-folders is refused: it could be either, and guessing would
 * silently drop one or the other.
 */
import { stat } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { readCsvList } from './csv-list.js';
import { listEntries, scanFlatFolder } from './flat-folder.js';
import { hasImageExtension, scanImageFolder } from './image-folder.js';
import { findMnistRaw, loadMnistSplit, type Split } from './mnist-folder.js';
import type { SourceItem } from './source-item.js';

export type DataForm = 'image-folder' | 'flat-folder' | 'csv-list' | 'mnist-idx';

export interface DataSource {
  /** The `--data` value (without NAME=). */
  root: string;
  form: DataForm;
  items: SourceItem[];
  /** The data's own class names; items' labelId index this list (-1 = unlabelled). */
  labelNames: string[];
  /**
   * How labelNames is ordered: 'fixed' = the order carries the ids (ImageFolder's sorted folders,
   * torchvision's MNIST classes), 'seen' = first-seen order of a CSV list (sorted before use).
   */
  order: 'fixed' | 'seen';
  /** True when labelIds are class indices already (IDX files store numbers, not names). */
  labelsAreIds: boolean;
  /** MNIST family only: the split read and the dataset's name (null when unknown). */
  split?: Split;
  dataset?: string | null;
  warnings: string[];
}

export async function loadDataSource(root: string, split: Split | null): Promise<DataSource> {
  let isFile: boolean;
  try {
    isFile = (await stat(root)).isFile();
  } catch (e) {
    throw new UserError(
      `Cannot read the test set folder ${root}: ${(e as Error).message}. --data takes an ImageFolder (DATA/<class name>/<image>), ` +
        "a flat folder of images, a CSV list (path[,label]) or torchvision's MNIST-family folder.",
    );
  }
  if (isFile) {
    if (!root.toLowerCase().endsWith('.csv')) {
      throw new UserError(
        `--data ${root} is a file but not a CSV list (.csv). --data takes a folder (ImageFolder, flat folder of images, ` +
          "torchvision's MNIST-family folder) or a CSV file with a path column.",
      );
    }
    const list = await readCsvList(root);
    // Labels that are all whole numbers are class indices (as in a torchvision dataset's targets),
    // not names: sorted as names, "10" would come before "2".
    const max = Math.max(-1, ...list.labels.map((l) => (/^\d+$/.test(l) ? Number(l) : Number.NaN)));
    const ids = list.labels.length > 0 && max < 100_000; // NaN (a name) fails too
    return {
      root,
      form: 'csv-list',
      items: ids
        ? list.items.map((it) => ({ ...it, labelId: it.labelId < 0 ? -1 : Number(list.labels[it.labelId]) }))
        : list.items,
      labelNames: ids ? Array.from({ length: max + 1 }, (_, i) => String(i)) : list.labels,
      order: ids ? 'fixed' : 'seen',
      labelsAreIds: ids,
      warnings: list.hasLabelColumn
        ? []
        : [`the CSV list ${root} has no label column: its images are unlabelled.`],
    };
  }
  const mnist = await findMnistRaw(root);
  if (mnist) {
    const s = await loadMnistSplit(mnist, split ?? 'test');
    return {
      root,
      form: 'mnist-idx',
      items: s.items,
      labelNames: s.classes,
      order: 'fixed',
      labelsAreIds: true,
      split: s.split,
      dataset: s.name,
      warnings: s.warnings,
    };
  }
  const { dirs, files } = await listEntries(root);
  const images = files.filter((f) => hasImageExtension(f.toString('utf8')));
  if (dirs.length > 0 && images.length > 0) {
    throw new UserError(
      `${root} holds both ${images.length} image(s) and ${dirs.length} sub-folder(s) (${dirs.slice(0, 3).join(', ')}${dirs.length > 3 ? ', ...' : ''}), ` +
        'so it is neither an ImageFolder (DATA/<class name>/<image>) nor a flat folder of unlabelled images. Move the ' +
        'images into their class folders, or the sub-folders out, or list the images in a CSV (path[,label]) and pass that.',
    );
  }
  if (dirs.length > 0) {
    const ds = await scanImageFolder(root, null);
    return {
      root,
      form: 'image-folder',
      items: ds.items,
      labelNames: ds.folders,
      order: 'fixed',
      labelsAreIds: false,
      warnings: ds.warnings,
    };
  }
  if (images.length === 0) {
    throw new UserError(
      `${root} holds no class folders and no images. --data takes an ImageFolder (DATA/<class name>/<image>), a flat folder ` +
        "of images, a CSV list (path[,label]) or torchvision's MNIST-family folder.",
    );
  }
  return {
    root,
    form: 'flat-folder',
    items: await scanFlatFolder(root, files),
    labelNames: [],
    order: 'fixed',
    labelsAreIds: false,
    warnings: [],
  };
}
