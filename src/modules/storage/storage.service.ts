import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NotFound,
  NoSuchKey,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { AppConfig, type StorageSettings } from '../../config';

export interface PutStreamOptions {
  contentType: string;
  /** Stored as object metadata (e.g. the original file name); values must be ASCII-safe. */
  metadata?: Record<string, string>;
  contentDisposition?: string;
}

export interface StoredObject {
  key: string;
  size: number;
  contentType?: string;
  etag?: string;
  metadata: Record<string, string>;
}

export interface PresignOptions {
  expiresInSeconds?: number;
  /** Sent back by the storage server as the download's Content-Disposition. */
  contentDisposition?: string;
  contentType?: string;
}

export class ObjectNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`object not found: ${key}`);
    this.name = 'ObjectNotFoundError';
  }
}

/** Builds the S3 client with the settings S3-compatible servers need. */
export function createS3Client(settings: StorageSettings): S3Client {
  return new S3Client({
    region: settings.region,
    endpoint: settings.endpoint,
    forcePathStyle: !!settings.endpoint,
    credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
    // The SDK's default (aws-chunked bodies with trailing checksums) corrupts or fails uploads on
    // s3rver and DigitalOcean Spaces: only compute checksums where an operation requires them.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 3,
  });
}

/** Object storage for attachments: streams in and out, never a whole body in memory. */
@Injectable()
export class StorageService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(StorageService.name);
  readonly client: S3Client;
  readonly bucket: string;
  private bucketEnsured?: Promise<void>;

  constructor(private readonly config: AppConfig) {
    this.client = createS3Client(config.storage);
    this.bucket = config.storage.bucket;
  }

  /** In development and test, create the bucket at start; a failure only shows in /health/ready. */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.storage.createBucket) return;
    await this.ensureBucket().catch((err: Error) =>
      this.logger.warn(`bucket ${this.bucket} not ready: ${err.message}; /health/ready will say so`),
    );
  }

  /** Creates the bucket when missing (development and test only; production buckets are provisioned). */
  ensureBucket(): Promise<void> {
    this.bucketEnsured ??= (async () => {
      if (await this.bucketReachable()) return;
      await this.client.send(new CreateBucketCommand({ Bucket: this.bucket }));
      this.logger.log(`created bucket ${this.bucket}`);
    })().catch((err: unknown) => {
      this.bucketEnsured = undefined;
      throw err;
    });
    return this.bucketEnsured;
  }

  /**
   * Streams `body` to `key` with a multipart upload (5 MiB parts, at most 2 in flight), so memory
   * stays flat whatever the size. On failure the partial upload is aborted and the error rethrown.
   */
  async putStream(key: string, body: Readable, options: PutStreamOptions): Promise<StoredObject> {
    if (this.config.storage.createBucket) await this.ensureBucket();
    const upload = new Upload({
      client: this.client,
      params: {
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentType: options.contentType,
        ContentDisposition: options.contentDisposition,
        Metadata: options.metadata,
      },
      queueSize: 2,
      partSize: 5 * 1024 * 1024,
      leavePartsOnError: false,
    });
    // The source's own error (client went away, size limit hit) is the one worth reporting, not
    // whatever the abort of the multipart upload answered afterwards.
    let sourceError: unknown;
    body.once('error', (err) => (sourceError = err));
    try {
      await upload.done();
    } catch (err) {
      await this.delete(key).catch(() => undefined);
      throw sourceError ?? err;
    }
    return this.head(key);
  }

  /** A readable stream of the object's body. */
  async getStream(key: string): Promise<Readable> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return out.Body as Readable;
    } catch (err) {
      throw this.mapNotFound(err, key);
    }
  }

  /** The object's size, type and metadata; {@link ObjectNotFoundError} when absent. */
  async head(key: string): Promise<StoredObject> {
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return {
        key,
        size: out.ContentLength ?? 0,
        contentType: out.ContentType,
        etag: out.ETag,
        metadata: out.Metadata ?? {},
      };
    } catch (err) {
      throw this.mapNotFound(err, key);
    }
  }

  /** Removes the object; removing an absent object is not an error. */
  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  /** Keys under a prefix with their last-modified time, page by page (for sweepers and tests). */
  async *listKeys(prefix: string): AsyncGenerator<{ key: string; lastModified: Date }> {
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: prefix,
          ContinuationToken: token,
          MaxKeys: 1000,
        }),
      );
      for (const o of page.Contents ?? [])
        if (o.Key) yield { key: o.Key, lastModified: o.LastModified ?? new Date(0) };
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  /** A time-limited GET URL (default 5 minutes). */
  presignedGetUrl(key: string, options: PresignOptions = {}): Promise<string> {
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: key,
      ResponseContentDisposition: options.contentDisposition,
      ResponseContentType: options.contentType,
    });
    return getSignedUrl(this.client, command, { expiresIn: options.expiresInSeconds ?? 300 });
  }

  /** True when the bucket answers a HEAD request. */
  async bucketReachable(): Promise<boolean> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
      return true;
    } catch (err) {
      if (
        err instanceof NotFound ||
        (err instanceof S3ServiceException && err.$metadata.httpStatusCode === 404)
      ) {
        return false;
      }
      throw err;
    }
  }

  private mapNotFound(err: unknown, key: string): unknown {
    if (err instanceof NoSuchKey || err instanceof NotFound) return new ObjectNotFoundError(key);
    if (err instanceof S3ServiceException && err.$metadata.httpStatusCode === 404)
      return new ObjectNotFoundError(key);
    return err;
  }

  onApplicationShutdown(): void {
    this.client.destroy();
  }
}
