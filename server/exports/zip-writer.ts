// A yazl zip written with backpressure: an entry is opened only when the zip reaches it, and
// add() waits while MAX_WAITING entries wait, so what is queued stays small however many there
// are. yazl does not watch the streams it pipes: a failed read fails the whole zip here.
//
// What yazl must keep of every entry until the end is its central-directory record: the name,
// CRC, sizes, offset and time (its Entry object: about 330 bytes of heap and the name's bytes, measured with yazl 3.3.1). It keeps
// two more things per entry that would make memory grow with the number of entries, and this
// writer takes both back once they are no longer needed:
// - the entry's name is a small Buffer, cut from Node's shared 8 KB allocation pool, so each one
//   kept alive a whole pool slab that the archive's text had been written through (several KB
//   per entry); names are copied into slabs of their own, holding names only;
// - the entry's pump function, with the opener it calls and whatever that held, which yazl
//   calls once and never again: it is dropped after that call.
import { Readable } from 'node:stream';
import { ZipFile } from 'yazl';

/** Entries waiting for the zip to reach them; each holds only its metadata and an opener. */
const MAX_WAITING = 32;

/** Characters of text gathered before they go to the compressor. */
const CHUNK = 64 * 1024;

/** Bytes per slab of entry names: a zip of 30,000 entries needs about a dozen. */
const NAME_SLAB = 64 * 1024;

type Opener = () => Readable | Promise<Readable>;

/** The parts of yazl's (untyped) Entry this writer reaches into. */
interface YazlEntry {
  utf8FileName: Buffer;
  doFileDataPump?: () => void;
}

/**
 * yazl's entries, in the order added (not in its typings). Should a later yazl keep them
 * elsewhere, nothing is reached into: the zip is still right, only memory grows again.
 */
function entriesOf(zip: ZipFile): YazlEntry[] {
  const entries = (zip as unknown as { entries?: unknown }).entries;
  return Array.isArray(entries) ? (entries as YazlEntry[]) : [];
}

const ALREADY_PUMPED = () => undefined;

/** The names of a zip's entries, packed into slabs that hold nothing else. */
class NameSlabs {
  private slab = Buffer.allocUnsafeSlow(NAME_SLAB);
  private used = 0;

  copy(name: Buffer): Buffer {
    if (name.length > this.slab.length - this.used) {
      this.slab = Buffer.allocUnsafeSlow(Math.max(NAME_SLAB, name.length));
      this.used = 0;
    }
    const kept = this.slab.subarray(this.used, this.used + name.length);
    name.copy(kept);
    this.used += name.length;
    return kept;
  }
}

/** A yazl zip whose entries are added with backpressure: add() waits while too many wait. */
export class ZipWriter {
  private readonly zip = new ZipFile();
  private readonly names = new NameSlabs();
  private waiting = 0;
  private wake: (() => void) | undefined;
  private failed: Error | undefined;
  readonly output: Readable;

  constructor(private readonly mtime: Date) {
    // yazl's outputStream is a Node PassThrough; the cast gives it Readable's type.
    this.output = this.zip.outputStream as Readable;
    this.zip.on('error', (error: Error) => this.fail(error));
  }

  async add(path: string, open: Opener): Promise<void> {
    while (this.waiting >= MAX_WAITING && !this.failed)
      await new Promise<void>((r) => (this.wake = r));
    if (this.failed) throw this.failed;
    this.waiting += 1;
    let added: YazlEntry | undefined;
    let pumped = false;
    let opener: Opener | undefined = open;
    const entries = entriesOf(this.zip);
    const count = entries.length;
    this.zip.addReadStreamLazy(path, { mtime: this.mtime }, (callback) => {
      this.waiting -= 1;
      this.wakeAdder();
      const run = opener;
      opener = undefined;
      // yazl calls an entry's pump once: let it go, with what it holds.
      pumped = true;
      if (added) added.doFileDataPump = ALREADY_PUMPED;
      added = undefined;
      Promise.resolve()
        .then(() => (run ? run() : Readable.from([])))
        .then(
          (stream) => {
            // yazl pipes the stream without listening for its errors: a failed read (a query,
            // a file) fails the whole archive here instead of being an uncaught error.
            stream.once('error', (error) => this.fail(error));
            callback(null, stream);
          },
          (error: unknown) => this.fail(error),
        );
    });
    // A zip that has failed adds nothing.
    const entry = entries.length > count ? entries[count] : undefined;
    if (!entry || !Buffer.isBuffer(entry.utf8FileName)) return;
    entry.utf8FileName = this.names.copy(entry.utf8FileName);
    // When the zip was waiting for just this entry, yazl pumped it inside addReadStreamLazy.
    if (pumped) entry.doFileDataPump = ALREADY_PUMPED;
    else added = entry;
  }

  private wakeAdder(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  text(path: string, text: string): Promise<void> {
    return this.add(path, () => Readable.from([Buffer.from(text, 'utf8')]));
  }

  /**
   * An entry written from text produced a piece at a time. The pieces go to the compressor in
   * chunks of up to CHUNK characters rather than one by one: each write to zlib is a trip to
   * its thread pool, and most entries (a ticket's messages) are a few small pieces.
   */
  lines(path: string, lines: () => AsyncIterable<string>): Promise<void> {
    return this.add(path, () =>
      Readable.from(
        (async function* () {
          let chunk = '';
          for await (const line of lines()) {
            chunk += line;
            if (chunk.length < CHUNK) continue;
            yield Buffer.from(chunk, 'utf8');
            chunk = '';
          }
          if (chunk) yield Buffer.from(chunk, 'utf8');
        })(),
        { objectMode: false },
      ),
    );
  }

  end(): void {
    this.zip.end();
  }

  fail(error: unknown): void {
    if (this.failed) return;
    this.failed = error instanceof Error ? error : new Error(String(error));
    this.output.destroy(this.failed);
    this.wakeAdder();
  }
}
