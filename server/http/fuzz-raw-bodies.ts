// Raw bodies for the OpenAPI fuzz test's two operations whose body is not JSON: the CSV upload
// (multipart/form-data or text/csv) and the inbound email webhook (message/rfc822). The JSON
// operations are built from their schemas in fuzz-requests.ts.
import fc from 'fast-check';
import type { FuzzRequest } from './fuzz-requests.ts';

/** Raw-body operations: every fixed case is sent once, then random ones. */
export interface RequestSet {
  fixed: FuzzRequest[];
  random: fc.Arbitrary<FuzzRequest>;
}

const CSV = 'email,first_name\r\nfuzz-import@fuzz.example,Fuzz\r\n';

/** Multipart uploads, most of them broken: cut short, no boundary, wrong boundary, two files. */
export function multipartRequests(url: string): RequestSet {
  const boundary = 'fuzzboundary';
  const part = (name: string, content: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="f.csv"\r\n` +
    `Content-Type: text/csv\r\n\r\n${content}\r\n`;
  const whole = `${part('file', CSV)}--${boundary}--\r\n`;
  const type = `multipart/form-data; boundary=${boundary}`;
  const fixed = [
    {
      label: 'multipart NUL in filename',
      type,
      body: `${part('file', CSV).replace('f.csv', 'f\u0000.csv')}--${boundary}--\r\n`,
    },
    { label: 'multipart no boundary', type: 'multipart/form-data', body: whole },
    { label: 'multipart empty boundary', type: 'multipart/form-data; boundary=', body: whole },
    {
      label: 'multipart other boundary',
      type: 'multipart/form-data; boundary=zzz',
      body: whole,
    },
    {
      label: 'multipart long boundary',
      type: `multipart/form-data; boundary=${'b'.repeat(300)}`,
      body: whole,
    },
    {
      label: 'multipart two files',
      type,
      body: `${part('file', CSV)}${part('file', CSV)}--${boundary}--\r\n`,
    },
    { label: 'multipart wrong field', type, body: `${part('other', CSV)}--${boundary}--\r\n` },
    {
      label: 'multipart NUL in CSV',
      type,
      body: `${part('file', 'email\r\na\u0000b@x.no\r\n')}--${boundary}--\r\n`,
    },
    {
      label: 'multipart bad header',
      type,
      body: `--${boundary}\r\nGarbage\r\n\r\nx\r\n--${boundary}--\r\n`,
    },
    { label: 'raw csv', type: 'text/csv', body: CSV },
    { label: 'raw csv cut', type: 'text/csv', body: CSV.slice(0, 9) },
    { label: 'raw csv binary', type: 'text/csv', body: '\u0000\u0001\uffff\ud800' },
  ];
  const toRequest = ({ label, type, body }: { label: string; type: string; body: string }) => ({
    method: 'POST',
    url,
    headers: { 'content-type': type },
    body: new Uint8Array(Buffer.from(body)),
    label,
  });
  const random = fc
    .oneof(
      fc.constant({ label: 'multipart valid', type, body: whole }),
      fc
        .integer({ min: 0, max: whole.length - 1 })
        .map((cut) => ({ label: `multipart cut at ${cut}`, type, body: whole.slice(0, cut) })),
      fc.constantFrom(...fixed),
    )
    .map(toRequest);
  return { fixed: fixed.map(toRequest), random };
}

const EMAIL = [
  'From: Fuzz Sender <fuzz-mail@fuzz.example>',
  'To: support@fuzz.example',
  'Subject: Help',
  'Message-ID: <fuzz@fuzz.example>',
  '',
  'Hello there.',
  '',
].join('\r\n');

/** Raw RFC 822 bodies for the inbound email webhook: cut short, binary, NUL, huge headers. */
export function rawEmailRequests(url: string): RequestSet {
  const fixed = [
    {
      label: 'email NUL',
      body: Buffer.from(EMAIL.replace('Help', 'He\u0000lp').replace('Hello', 'Hel\u0000lo')),
    },
    {
      label: 'email long header',
      body: Buffer.from(`Subject: ${'x'.repeat(100_000)}\r\n\r\nbody`),
    },
    {
      label: 'email bad from',
      body: Buffer.from(EMAIL.replace('<fuzz-mail@fuzz.example>', '<\u0000@>')),
    },
    {
      label: 'email lone surrogate bytes',
      body: Buffer.from([...Buffer.from(EMAIL), 0xed, 0xa0, 0x80]),
    },
  ];
  const toRequest = ({ label, body }: { label: string; body: Buffer }) => ({
    method: 'POST',
    url,
    headers: { 'content-type': 'message/rfc822' },
    body: new Uint8Array(body),
    label,
  });
  const random = fc
    .oneof(
      fc.constant({ label: 'email valid', body: Buffer.from(EMAIL) }),
      fc
        .integer({ min: 0, max: EMAIL.length - 1 })
        .map((cut) => ({ label: `email cut at ${cut}`, body: Buffer.from(EMAIL.slice(0, cut)) })),
      fc
        .uint8Array({ maxLength: 200 })
        .map((bytes) => ({ label: 'email random bytes', body: Buffer.from(bytes) })),
      fc.constantFrom(...fixed),
    )
    .map(toRequest);
  return { fixed: fixed.map(toRequest), random };
}
