// A yazl zip written with backpressure: an entry is opened only when the zip reaches it, and
// add() waits while MAX_WAITING entries wait, so what is queued stays small however many there
// are. yazl does not watch the streams it pipes: a failed read fails the whole zip here.
import { Readable } from 'node:stream';
import { ZipFile } from 'yazl';

/** Entries waiting for the zip to reach them; each holds only its metadata and an opener. */
const MAX_WAITING = 32;

type Opener = () => Readable | Promise<Readable>;

/** A yazl zip whose entries are added with backpressure: add() waits while too many wait. */
export class ZipWriter {
  private readonly zip = new ZipFile();
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
    // yazl keeps every entry (and this callback) until the end; the opener, and whatever it
    // holds, is let go once it has run.
    let opener: Opener | undefined = open;
    this.zip.addReadStreamLazy(path, { mtime: this.mtime }, (callback) => {
      this.waiting -= 1;
      this.wakeAdder();
      const run = opener;
      opener = undefined;
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
  }

  private wakeAdder(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  text(path: string, text: string): Promise<void> {
    return this.add(path, () => Readable.from([Buffer.from(text, 'utf8')]));
  }

  lines(path: string, lines: () => AsyncIterable<string>): Promise<void> {
    return this.add(path, () =>
      Readable.from(
        (async function* () {
          for await (const line of lines()) yield Buffer.from(line, 'utf8');
        })(),
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
