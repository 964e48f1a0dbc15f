// A raw SMTP client for tests: it says exactly what a test tells it to (bare LF, NUL bytes,
// DATA before RCPT, hundreds of megabytes generated as they are sent), which nodemailer will not.
import net from 'node:net';

export interface SmtpReply {
  /** 0 when the server closed the connection instead of answering. */
  code: number;
  text: string;
}

export class RawSmtpClient {
  private pending = '';
  private readonly replies: SmtpReply[] = [];
  private readonly waiting: ((reply: SmtpReply) => void)[] = [];
  private ended = false;
  readonly closed: Promise<void>;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk.toString('latin1')));
    // A refused or dropped connection is an answer too (code 0), never a hanging test.
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        this.ended = true;
        for (const waiter of this.waiting.splice(0)) waiter({ code: 0, text: 'connection closed' });
        resolve();
      }),
    );
  }

  /** Connects, reads the greeting (220, or the refusal a limit answers with) and says EHLO. */
  static async connect(
    port: number,
    options: { localAddress?: string } = {},
  ): Promise<{ client: RawSmtpClient; greeting: SmtpReply }> {
    const socket = net.connect({ port, host: '127.0.0.1', localAddress: options.localAddress });
    const client = new RawSmtpClient(socket);
    const greeting = await client.reply();
    if (greeting.code === 220) await client.command('EHLO client.example.org');
    return { client, greeting };
  }

  private onData(text: string): void {
    this.pending += text;
    let lines: string[] = [];
    let end: number;
    while ((end = this.pending.indexOf('\r\n')) >= 0) {
      const line = this.pending.slice(0, end);
      this.pending = this.pending.slice(end + 2);
      lines.push(line);
      // "250-..." continues a reply, "250 ..." ends it.
      if (line[3] !== '-') {
        const reply = { code: Number(line.slice(0, 3)), text: lines.join('\n') };
        lines = [];
        const waiter = this.waiting.shift();
        if (waiter) waiter(reply);
        else this.replies.push(reply);
      }
    }
    if (lines.length) this.pending = `${lines.join('\r\n')}\r\n${this.pending}`;
  }

  reply(): Promise<SmtpReply> {
    const ready = this.replies.shift();
    if (ready) return Promise.resolve(ready);
    if (this.ended) return Promise.resolve({ code: 0, text: 'connection closed' });
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Writes, waiting for the socket to drain so a long message is never held in memory. */
  async write(data: string | Buffer): Promise<void> {
    if (this.ended) return;
    if (!this.socket.write(data)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          this.socket.off('drain', done);
          this.socket.off('close', done);
          resolve();
        };
        this.socket.on('drain', done);
        this.socket.on('close', done);
      });
    }
  }

  async command(line: string | Buffer): Promise<SmtpReply> {
    await this.write(typeof line === 'string' ? `${line}\r\n` : line);
    return this.reply();
  }

  /**
   * One transaction: MAIL FROM, each RCPT TO, DATA, `body` as given (the caller dot-stuffs),
   * the terminating CRLF.CRLF. Answers the DATA reply, or the first refusal before it.
   */
  async send(from: string, to: string[], body: string | Buffer): Promise<SmtpReply> {
    const mail = await this.command(`MAIL FROM:<${from}>`);
    if (mail.code !== 250) return mail;
    let accepted = 0;
    let refusal: SmtpReply | undefined;
    for (const address of to) {
      const rcpt = await this.command(`RCPT TO:<${address}>`);
      if (rcpt.code === 250) accepted++;
      else refusal ??= rcpt;
    }
    if (!accepted && refusal) {
      await this.command('RSET');
      return refusal;
    }
    const data = await this.command('DATA');
    if (data.code !== 354) return data;
    await this.write(body);
    return this.command('\r\n.');
  }

  /** DATA of `bytes` bytes, made up as it is sent from one 64 KB block of short lines. */
  async sendGenerated(from: string, to: string, bytes: number): Promise<SmtpReply> {
    const mail = await this.command(`MAIL FROM:<${from}>`);
    if (mail.code !== 250) return mail;
    const rcpt = await this.command(`RCPT TO:<${to}>`);
    if (rcpt.code !== 250) return rcpt;
    const data = await this.command('DATA');
    if (data.code !== 354) return data;
    const line = `${'x'.repeat(76)}\r\n`;
    const block = Buffer.from(line.repeat(Math.floor((64 * 1024) / line.length)));
    await this.write(`From: <${from}>\r\nSubject: generated\r\n\r\n`);
    for (let sent = 0; sent < bytes && !this.ended; sent += block.length) await this.write(block);
    return this.command('.');
  }

  async quit(): Promise<void> {
    if (!this.ended) this.socket.end('QUIT\r\n');
    await this.closed;
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/**
 * One whole message over a fresh connection: line endings made CRLF and dot-stuffed, the bytes
 * otherwise sent as given (raw 8-bit headers, NUL bytes); `from: ''` sends MAIL FROM:<>.
 * Answers the reply to the message's DATA.
 */
export async function sendRawMail(options: {
  port: number;
  from: string;
  to: string;
  raw: Buffer;
}): Promise<SmtpReply> {
  const { client } = await RawSmtpClient.connect(options.port);
  try {
    const stuffed = options.raw.toString('latin1').replace(/\r?\n/g, '\r\n').replace(/^\./gm, '..');
    const body = stuffed.endsWith('\r\n') ? stuffed.slice(0, -2) : stuffed;
    return await client.send(options.from, [options.to], Buffer.from(body, 'latin1'));
  } finally {
    await client.quit();
  }
}
