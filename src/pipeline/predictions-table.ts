/**
 * predictions.csv (docs/architecture.md section 2): path, [domain,] label_id, label_name, top{i}_id/_name/_confidence
 * for i = 1..k, topk_correct, then conf_<class> for every class in index order. Written and read as a
 * stream: at 50,000 images x 1,000 classes the text (~700 MB) is larger than a JavaScript string can be.
 * The reader (used by `featscope reduce --labels`, `featscope plot` and run reuse) finds columns by
 * header name and parses straight into typed arrays.
 */

import { CancelledError, UserError } from '../errors.js';
import { writeFileAtomicFrom } from '../io/atomic.js';
import { BYTE_CHUNK, ByteChunks } from '../io/byte-chunks.js';
import { CsvTokenizer, csvField, csvLine, ownString } from '../io/csv.js';
import { countCsvLines, readCsvFile } from '../io/csv-file.js';
import { float32String } from './format.js';

export interface Predictions {
  paths: string[];
  /** True label id per image (-1 when unknown). */
  labelIds: Int32Array;
  classes: string[];
  k: number;
  topIds: Int32Array;
  topConf: Float32Array;
  /** n x classes softmax probabilities; may be empty when read from a table without conf_ columns. */
  probs: Float32Array;
  /** The domain of each image when the run has several (`--data NAME=DIR`): names in the user's order. */
  domains?: { names: string[]; ids: Int32Array };
}

/** True when the table gets a `domain` column: only runs with several domains have one. */
function hasDomainColumn(p: Pick<Predictions, 'domains'>): boolean {
  return !!p.domains && p.domains.names.length > 1;
}

export function predictionsHeader(classes: readonly string[], k: number, domain = false): string[] {
  const h = ['path', ...(domain ? ['domain'] : []), 'label_id', 'label_name'];
  for (let i = 1; i <= k; i++) h.push(`top${i}_id`, `top${i}_name`, `top${i}_confidence`);
  h.push('topk_correct');
  for (const c of classes) h.push(`conf_${c}`);
  return h;
}

const COMMA = 44;
const LF = 10;

/** The table as UTF-8 chunks of about `chunkBytes`, built one row at a time. */
export function* predictionsChunks(p: Predictions, chunkBytes = BYTE_CHUNK): Generator<Uint8Array> {
  const C = p.classes.length;
  const n = p.paths.length;
  const { k } = p;
  const domains = hasDomainColumn(p) ? p.domains : undefined;
  const out = new ByteChunks(chunkBytes);
  out.text(csvLine(predictionsHeader(p.classes, k, !!domains)));
  out.byte(LF);
  // Names are written on every row: quote and encode each once.
  const names = p.classes.map((c) => Buffer.from(csvField(c), 'utf8'));
  const domainNames = domains?.names.map((d) => Buffer.from(csvField(d), 'utf8'));
  for (let i = 0; i < n; i++) {
    const label = p.labelIds[i];
    out.text(csvField(p.paths[i]));
    if (domains && domainNames) {
      out.byte(COMMA);
      out.bytes(domainNames[domains.ids[i]]);
    }
    // Unlabelled images (label -1) leave label_id, label_name and topk_correct empty.
    if (label >= 0) {
      out.ascii(`,${label},`);
      out.bytes(names[label]);
    } else out.ascii(',,');
    let hit = false;
    for (let j = 0; j < k; j++) {
      const id = p.topIds[i * k + j];
      if (id === label) hit = true;
      out.ascii(`,${id},`);
      out.bytes(names[id]);
      out.byte(COMMA);
      out.ascii(float32String(p.topConf[i * k + j]));
    }
    out.ascii(label >= 0 ? (hit ? ',true' : ',false') : ',');
    for (let c = i * C, end = c + C; c < end; c++) {
      out.byte(COMMA);
      out.ascii(float32String(p.probs[c]));
    }
    out.byte(LF);
    yield* out.take();
  }
  yield* out.finish();
}

/** The whole table as one string: for small tables only (tests, the library API). */
export function formatPredictionsCsv(p: Predictions): string {
  return Buffer.concat([...predictionsChunks(p)]).toString('utf8');
}

/** Writes predictions.csv a chunk at a time through a temporary file (atomic). */
export async function writePredictionsCsv(path: string, p: Predictions): Promise<void> {
  await writeFileAtomicFrom(path, predictionsChunks(p));
}

export interface ReadPredictionsOptions {
  /** Names the file in errors (default: the path). */
  source?: string;
  /** Parse the conf_ columns into `probs` (default true); without, `probs` is empty. */
  probs?: boolean;
  signal?: AbortSignal;
}

/** Reads predictions.csv as a stream into typed arrays. */
export async function readPredictionsCsv(path: string, o: ReadPredictionsOptions = {}): Promise<Predictions> {
  const source = o.source ?? path;
  let parser: PredictionsParser;
  try {
    parser = new PredictionsParser(source, await countCsvLines(path), o.probs ?? true);
    // Without probabilities, the conf_ columns (all but a few) are skipped unread.
    const columns = o.probs === false ? (h: string[]) => h.map((c) => !c.startsWith('conf_')) : undefined;
    await readCsvFile(path, (fields, row) => parser.row(fields, row), o.signal, columns);
  } catch (e) {
    if (e instanceof UserError || e instanceof CancelledError) throw e;
    const err = e as NodeJS.ErrnoException;
    throw new UserError(`Cannot read the predictions table ${source}: ${err.code ?? err.message}.`);
  }
  return parser.finish();
}

/** Reads a predictions table held in a string (small tables; see `readPredictionsCsv`). */
export function parsePredictionsCsv(text: string, source: string): Predictions {
  let lines = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
  const parser = new PredictionsParser(source, lines, true);
  let row = 0;
  const t = new CsvTokenizer((fields) => parser.row(fields, row++));
  t.push(text);
  t.end();
  return parser.finish();
}

const REQUIRED = ['path', 'label_id', 'label_name', 'top1_id', 'top1_name', 'top1_confidence'];

/** Takes the rows of a predictions table (header first) and fills typed arrays sized `capacity` rows. */
class PredictionsParser {
  private n = 0;
  private width = 0;
  private k = 0;
  private col: Record<string, number> = {};
  private topCols: [number, number, number][] = [];
  private confCols: number[] = [];
  private classes: string[] = [];
  private namesSeen: string[] = [];
  private readonly paths: string[] = [];
  private labelIds = new Int32Array(0);
  private topIds = new Int32Array(0);
  private topConf = new Float32Array(0);
  private probs = new Float32Array(0);
  private domainNames: string[] = [];
  private domainIndex = new Map<string, number>();
  private domainIds: Int32Array | null = null;

  constructor(
    private readonly source: string,
    private capacity: number,
    private readonly withProbs: boolean,
  ) {}

  row(fields: string[], row: number): void {
    if (row === 0) {
      this.header(fields);
      return;
    }
    if (fields.length === 1 && fields[0] === '') return; // a blank line
    if (fields.length !== this.width) {
      this.fail(row, `has ${fields.length} fields but the header has ${this.width}`);
    }
    if (this.n >= this.capacity) this.grow();
    const i = this.n++;
    this.paths.push(ownString(fields[this.col.path]));
    const label = fields[this.col.label_id];
    // Empty for an unlabelled image (tables of featscope <= 0.1 wrote -1).
    this.labelIds[i] = label === '' || label === '-1' ? -1 : this.id(label, row, 'label_id');
    if (this.labelIds[i] >= 0) this.namesSeen[this.labelIds[i]] ??= ownString(fields[this.col.label_name]);
    const k = this.k;
    for (let j = 0; j < k; j++) {
      const [idCol, nameCol, confCol] = this.topCols[j];
      const id = this.id(fields[idCol], row, `top${j + 1}_id`);
      this.topIds[i * k + j] = id;
      this.topConf[i * k + j] = this.number(fields[confCol], row, `top${j + 1}_confidence`);
      this.namesSeen[id] ??= ownString(fields[nameCol]);
    }
    if (this.withProbs) {
      const C = this.confCols.length;
      for (let c = 0; c < C; c++) this.probs[i * C + c] = Number(fields[this.confCols[c]]);
    }
    if (this.domainIds) {
      const name = fields[this.col.domain];
      let d = this.domainIndex.get(name);
      if (d === undefined) {
        d = this.domainNames.push(ownString(name)) - 1;
        this.domainIndex.set(name, d);
      }
      this.domainIds[i] = d;
    }
  }

  finish(): Predictions {
    if (this.width === 0) this.fail(0, 'is empty: it has no header line');
    const { n, k } = this;
    const C = this.classes.length;
    let classes = this.classes;
    if (C === 0) {
      // A table without conf_ columns: names from the label and top-k columns, gaps named by id.
      classes = Array.from({ length: this.namesSeen.length }, (_, i) => this.namesSeen[i] ?? `class_${i}`);
    }
    for (let i = 0; i < n; i++) {
      if (this.labelIds[i] >= classes.length) {
        this.fail(i + 1, `has label_id ${this.labelIds[i]} but the table names ${classes.length} classes`);
      }
    }
    for (let i = 0; i < n * k; i++) {
      if (this.topIds[i] >= classes.length) {
        const row = Math.floor(i / k) + 1;
        this.fail(row, `has a predicted id ${this.topIds[i]} but the table names ${classes.length} classes`);
      }
    }
    const out: Predictions = {
      paths: this.paths,
      labelIds: this.labelIds.subarray(0, n),
      classes,
      k,
      topIds: this.topIds.subarray(0, n * k),
      topConf: this.topConf.subarray(0, n * k),
      probs: this.withProbs ? this.probs.subarray(0, n * C) : new Float32Array(0),
    };
    if (this.domainIds) out.domains = { names: this.domainNames, ids: this.domainIds.subarray(0, n) };
    return out;
  }

  private header(h: string[]): void {
    this.width = h.length;
    h.forEach((name, j) => {
      this.col[name] ??= j;
    });
    const missing = REQUIRED.filter((name) => this.col[name] === undefined);
    if (missing.length > 0) {
      throw new UserError(
        `${this.source} is not a featscope predictions table: it lacks the column(s) ${missing.join(', ')}.`,
      );
    }
    while (this.col[`top${this.k + 1}_id`] !== undefined) {
      const i = ++this.k;
      const cols = [`top${i}_id`, `top${i}_name`, `top${i}_confidence`].map((c) => this.col[c]);
      if (cols.some((c) => c === undefined)) {
        throw new UserError(
          `${this.source} has a top${i}_id column without top${i}_name and top${i}_confidence.`,
        );
      }
      this.topCols.push(cols as [number, number, number]);
    }
    h.forEach((name, j) => {
      if (name.startsWith('conf_')) {
        this.confCols.push(j);
        this.classes.push(name.slice(5));
      }
    });
    this.allocate(this.capacity);
  }

  /** Sizes the arrays for `rows` rows, keeping the rows read so far. */
  private allocate(rows: number): void {
    const resize = <T extends Int32Array | Float32Array>(a: T, make: (n: number) => T, per: number): T => {
      const b = make(rows * per);
      b.set(a.subarray(0, this.n * per));
      return b;
    };
    const int = (n: number) => new Int32Array(n);
    const float = (n: number) => new Float32Array(n);
    this.labelIds = resize(this.labelIds, int, 1);
    this.topIds = resize(this.topIds, int, this.k);
    this.topConf = resize(this.topConf, float, this.k);
    if (this.withProbs) this.probs = resize(this.probs, float, this.confCols.length);
    if (this.col.domain !== undefined) this.domainIds = resize(this.domainIds ?? int(0), int, 1);
    this.capacity = rows;
  }

  /** More rows than line feeds: only when lines end in a lone CR. */
  private grow(): void {
    this.allocate(Math.max(16, this.capacity * 2));
  }

  private id(s: string, row: number, column: string): number {
    const v = Number(s);
    if (s === '' || !Number.isInteger(v) || v < 0) this.fail(row, `has ${column} "${s}", not a class id`);
    return v;
  }

  private number(s: string, row: number, column: string): number {
    const v = Number(s);
    if (s === '' || Number.isNaN(v)) this.fail(row, `has ${column} "${s}", not a number`);
    return v;
  }

  private fail(row: number, what: string): never {
    throw new UserError(
      `${this.source} line ${row + 1} ${what}. Pass the predictions.csv that featscope wrote, unchanged.`,
    );
  }
}
