// A raw SMTP conversation over a socket, for mail a well-behaved client would never send: raw
// 8-bit headers, NUL bytes, the null reverse-path MAIL FROM:<>. Sends the bytes as given
// (dot-stuffed) and answers every reply the server gave, so a test can assert on the 250.
import net from 'node:net';

export interface SmtpReply {
  code: number;
  text: string;
}

export async function sendRawMail(options: {
  port: number;
  /** The envelope sender; '' sends MAIL FROM:<>. */
  from: string;
  to: string;
  raw: Buffer;
}): Promise<{ replies: SmtpReply[]; data: SmtpReply }> {
  const socket = net.connect(options.port, '127.0.0.1');
  const replies: SmtpReply[] = [];
  let buffered = '';
  let waiting: ((reply: SmtpReply) => void) | undefined;
  const queue: SmtpReply[] = [];
  socket.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('latin1');
    let newline;
    while ((newline = buffered.indexOf('\r\n')) !== -1) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 2);
      if (line[3] === '-') continue; // a multi-line reply continues
      const reply = { code: Number(line.slice(0, 3)), text: line.slice(4) };
      replies.push(reply);
      if (waiting) {
        const resolve = waiting;
        waiting = undefined;
        resolve(reply);
      } else queue.push(reply);
    }
  });
  const next = () =>
    new Promise<SmtpReply>((resolve, reject) => {
      const queued = queue.shift();
      if (queued) return resolve(queued);
      waiting = resolve;
      socket.once('error', reject);
    });
  const command = async (line: string | Buffer) => {
    socket.write(line);
    return next();
  };
  try {
    await next(); // greeting
    await command('EHLO test.example\r\n');
    await command(`MAIL FROM:<${options.from}>\r\n`);
    await command(`RCPT TO:<${options.to}>\r\n`);
    const go = await command('DATA\r\n');
    if (go.code !== 354) return { replies, data: go };
    const stuffed = Buffer.from(
      options.raw.toString('latin1').replace(/\r?\n/g, '\r\n').replace(/^\./gm, '..'),
      'latin1',
    );
    const data = await command(
      Buffer.concat([stuffed, Buffer.from(stuffed.at(-1) === 0x0a ? '.\r\n' : '\r\n.\r\n')]),
    );
    await command('QUIT\r\n');
    return { replies, data };
  } finally {
    socket.end();
  }
}
