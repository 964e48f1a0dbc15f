// The S3 backend: an S3-compatible bucket (AWS S3, MinIO, Ceph, Garage...) shared by every node.
// A body up to one part is one PutObject; a larger one is a multipart upload of PART_BYTES parts
// (S3 wants 5 MB or more but for the last), so memory holds one part however large the file. The
// object appears only when the upload completes (S3 replaces objects whole), and a refused or
// failed upload is aborted, leaving nothing. Reads are GetObject, with Range when asked.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import {
  accountOfKey,
  BaseFileStore,
  FileNotFoundError,
  meter,
  type ByteRange,
  type StoredFile,
} from './file-store.ts';

export const PART_BYTES = 8 * 1024 * 1024;

export interface S3Settings {
  endpoint: string | undefined;
  bucket: string;
  region: string;
  accessKeyId: string | undefined;
  secretAccessKey: string | undefined;
  forcePathStyle: boolean;
}

function isMissing(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
}

export class S3FileStore extends BaseFileStore {
  readonly backend = 's3';
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(
    settings: S3Settings,
    private readonly partBytes = PART_BYTES,
  ) {
    super();
    this.bucket = settings.bucket;
    this.client = new S3Client({
      endpoint: settings.endpoint,
      region: settings.region,
      forcePathStyle: settings.forcePathStyle,
      credentials:
        settings.accessKeyId && settings.secretAccessKey
          ? { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey }
          : undefined,
    });
  }

  async write(key: string, body: Readable, limit = Infinity): Promise<StoredFile> {
    accountOfKey(key);
    const measured = meter(limit);
    const { client, bucket, partBytes } = this;
    let uploadId: string | undefined;
    const parts: { ETag: string | undefined; PartNumber: number }[] = [];
    // The consumer may still be uploading when pipeline rejects (the body failed): waited for
    // before aborting, or a part would land after the abort.
    let consuming: Promise<void> = Promise.resolve();
    const sendPart = async (data: Buffer) => {
      uploadId ??= (
        await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }))
      ).UploadId;
      const PartNumber = parts.length + 1;
      const sent = await client.send(
        new UploadPartCommand({
          Bucket: bucket,
          Key: key,
          UploadId: uploadId,
          PartNumber,
          Body: data,
        }),
      );
      parts.push({ ETag: sent.ETag, PartNumber });
    };
    const uploadPart = sendPart;
    try {
      await pipeline(body, measured.transform, (source: AsyncIterable<Buffer>) => {
        return (consuming = (async () => {
          let pending: Buffer[] = [];
          let pendingBytes = 0;
          for await (const chunk of source) {
            pending.push(chunk);
            pendingBytes += chunk.length;
            if (pendingBytes < partBytes) continue;
            const joined = Buffer.concat(pending, pendingBytes);
            await uploadPart(joined.subarray(0, partBytes));
            const rest = joined.subarray(partBytes);
            pending = rest.length ? [Buffer.from(rest)] : [];
            pendingBytes = rest.length;
          }
          const last = Buffer.concat(pending, pendingBytes);
          if (uploadId === undefined) {
            await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: last }));
            return;
          }
          if (last.length) await uploadPart(last);
          await client.send(
            new CompleteMultipartUploadCommand({
              Bucket: bucket,
              Key: key,
              UploadId: uploadId,
              MultipartUpload: { Parts: parts },
            }),
          );
        })());
      });
      return measured.result();
    } catch (error) {
      await consuming.catch(() => undefined);
      if (uploadId !== undefined)
        await client
          .send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }))
          .catch(() => undefined);
      throw error;
    }
  }

  read(key: string, range: ByteRange = {}): Readable {
    const { client, bucket } = this;
    async function* content(): AsyncGenerator<Buffer> {
      const wanted =
        range.start !== undefined || range.end !== undefined
          ? `bytes=${range.start ?? 0}-${range.end ?? ''}`
          : undefined;
      let body: Readable;
      try {
        const got = await client.send(
          new GetObjectCommand({ Bucket: bucket, Key: key, Range: wanted }),
        );
        body = got.Body as Readable;
      } catch (error) {
        if (isMissing(error)) throw new FileNotFoundError(key);
        throw error;
      }
      // No more than the range asked for, even from a server that sends more (s3rver answers
      // bytes=0-0 with the whole object).
      let left = range.end !== undefined ? range.end - (range.start ?? 0) + 1 : Infinity;
      for await (const chunk of body) {
        const piece = (chunk as Buffer).subarray(0, left);
        left -= piece.length;
        if (piece.length) yield piece;
        if (left <= 0) {
          body.destroy();
          return;
        }
      }
    }
    return Readable.from(content(), { objectMode: false });
  }

  async stat(key: string): Promise<{ size: number } | undefined> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { size: head.ContentLength ?? 0 };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async remove(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async *list(prefix: string): AsyncIterable<string> {
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) if (object.Key) yield object.Key;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  /** Closes the client's sockets (tests, the CLI). */
  close(): void {
    this.client.destroy();
  }
}
