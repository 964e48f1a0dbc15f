// What Kunde takes from a parsed message, every text cleaned by the shared text policy
// (common/text.ts) on the way: PostgreSQL refuses NUL in text ("invalid byte sequence for encoding
// UTF8: 0x00") and both databases must keep the same text, so a NUL in a body, an encoded
// subject (=?utf-8?q?a=00b?=) or a From name is removed here, once, before anything reaches a
// query. The original bytes stay in the raw .eml file. Also: which mail is automated and ignored.
import type { ParsedMail } from 'mailparser';
import sanitizeHtml from 'sanitize-html';
import { cleanText } from '../../common/text.ts';
import type { IncomingAttachment } from '../tickets/ticket.service.ts';

export interface InboundMail {
  /** The parsed message, for header checks; its texts are not cleaned, use the fields below. */
  parsed: ParsedMail;
  fromAddress: string | undefined;
  fromName: string | undefined;
  /** The From header as a person reads it, for the administrator's list. */
  fromLine: string | null;
  subject: string;
  messageId: string | undefined;
  /** In-Reply-To first, then References newest first. */
  references: string[];
  text: string;
  html: string | null;
  attachments: IncomingAttachment[];
}

function cleanId(id: string | undefined): string | undefined {
  const trimmed = id === undefined ? undefined : cleanText(id).trim();
  return trimmed ? (trimmed.startsWith('<') ? trimmed : `<${trimmed}>`) : undefined;
}

function referencesOf(mail: ParsedMail): string[] {
  const refs = Array.isArray(mail.references)
    ? mail.references
    : mail.references
      ? mail.references.split(/\s+/)
      : [];
  const inReplyTo = mail.inReplyTo ? [mail.inReplyTo] : [];
  return [...inReplyTo, ...refs.reverse()]
    .map((r) => cleanId(r))
    .filter((r): r is string => Boolean(r));
}

const optional = (value: string | undefined) =>
  value === undefined ? undefined : cleanText(value).trim() || undefined;

export function readInboundMail(mail: ParsedMail): InboundMail {
  const from = mail.from?.value[0];
  const html = mail.html ? cleanText(mail.html) : null;
  const text = cleanText(
    mail.text ?? (html ? sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} }) : ''),
  ).trim();
  const fromAddress = optional(from?.address);
  const fromName = optional(from?.name);
  return {
    parsed: mail,
    fromAddress,
    fromName,
    fromLine:
      (fromName && fromAddress ? `${fromName} <${fromAddress}>` : (fromAddress ?? fromName))?.slice(
        0,
        500,
      ) ?? null,
    subject: cleanText(mail.subject ?? '').trim(),
    messageId: cleanId(mail.messageId),
    references: referencesOf(mail),
    text,
    html: html ? sanitizeHtml(html) : null,
    attachments: mail.attachments.map((a) => ({
      filename: cleanText(a.filename ?? '').trim() || 'attachment',
      contentType: cleanText(a.contentType),
      content: a.content,
    })),
  };
}

/** A header's value as lower-case text (structured values as JSON), cleaned. */
function headerText(mail: ParsedMail, name: string): string | undefined {
  const value = mail.headers.get(name);
  if (value === undefined || value === null) return undefined;
  return cleanText(typeof value === 'string' ? value : JSON.stringify(value)).toLowerCase();
}

/** Whether a header is present as the sender wrote it (mailparser folds List-* into `list`). */
function hasRawHeader(mail: ParsedMail, name: string): boolean {
  return mail.headerLines.some((line) => line.key === name);
}

/**
 * Why a message is automated mail that never creates customers or tickets (auto-replies,
 * bounces, lists), or undefined. The sentences are stable: the console translates them.
 */
export function automatedReason(
  mail: ParsedMail,
  fromAddress: string | undefined,
): string | undefined {
  const autoSubmitted = headerText(mail, 'auto-submitted');
  if (autoSubmitted && autoSubmitted !== 'no')
    return `automatic mail (Auto-Submitted: ${autoSubmitted})`;
  const precedence = headerText(mail, 'precedence');
  if (precedence && /bulk|junk|list|auto_reply/.test(precedence))
    return `bulk mail (Precedence: ${precedence})`;
  if (headerText(mail, 'x-autoreply') || headerText(mail, 'x-autorespond'))
    return 'automatic reply (X-Autoreply)';
  if (hasRawHeader(mail, 'list-id') || hasRawHeader(mail, 'list-unsubscribe'))
    return 'mailing list (List-Id or List-Unsubscribe)';
  if (headerText(mail, 'x-kunde-outbox')) return 'our own outgoing mail';
  const local = (fromAddress ?? '').split('@')[0]?.toLowerCase() ?? '';
  if (/^(mailer-daemon|postmaster|no-?reply|do-?not-?reply)$/.test(local))
    return `automated sender ${fromAddress ?? ''}`;
  const contentType = headerText(mail, 'content-type');
  if (contentType?.includes('multipart/report')) return 'delivery report';
  return undefined;
}

export const NULL_SENDER_REASON = 'null envelope sender (a bounce or an automatic reply)';
export const NO_SENDER_REASON = 'no sender address';
export const ownAddressReason = (address: string) =>
  `sent from this account's own address ${address} (a mail loop)`;
export const badSenderReason = (address: string, problem: string) =>
  `sender ${address}: ${problem}`;
