import type { RawImage } from '../preprocess/transform.js';
import type { DatasetItem } from './image-folder.js';

/** A test image from any `--data` form: a file, or pixels already in memory (IDX). */
export interface SourceItem extends DatasetItem {
  /** Decoded 8-bit pixels when the image has no file of its own (the MNIST-family IDX files). */
  pixels?: RawImage;
}
