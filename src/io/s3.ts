import { createReadStream, readdirSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';

/**
 * Delivery to S3 with the AWS SDK v3: every `S1-GUNW*` file of the delivery directory, multipart when large
 * (lib-storage's Upload), with the content type of its extension and the `file_type` tag the HyP3 archive reads
 * (`browse` for the PNG, `product` otherwise). Credentials come from the SDK's default chain (environment, profile,
 * instance role) and are never read or printed here; an S3-compatible endpoint can be given.
 */

export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.nc': 'application/x-netcdf',
  '.png': 'image/png',
  '.json': 'application/json',
};
export const PART_SIZE = 8 * 1024 * 1024;

export interface S3Target {
  readonly bucket: string;
  readonly prefix: string;
  /** An S3-compatible endpoint (path-style addressing); AWS itself when absent. */
  readonly endpoint?: string;
  readonly region?: string;
}

export interface Uploaded {
  readonly key: string;
  readonly bytes: number;
  readonly contentType: string;
  readonly fileType: 'browse' | 'product';
}

/** S3 bucket naming rules, checked before any work so a typo is reported first. */
export function bucketNameProblem(bucket: string): string | null {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket))
    return `"${bucket}" is not an S3 bucket name (3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit)`;
  if (/\.\.|^\d+\.\d+\.\d+\.\d+$/.test(bucket))
    return `"${bucket}" is not an S3 bucket name (no consecutive dots, not an IP address)`;
  return null;
}

/** The object key of a file: the prefix joined POSIX-style (an empty prefix gives the bare name). */
export function objectKey(prefix: string, name: string): string {
  return prefix ? posix.join(prefix, name) : name;
}

export function contentTypeOf(name: string): string {
  const extension = name.slice(name.lastIndexOf('.'));
  return CONTENT_TYPES[extension] ?? 'application/octet-stream';
}

export async function uploadDelivery(
  directory: string,
  target: S3Target,
  onFile?: (uploaded: Uploaded) => void,
): Promise<Uploaded[]> {
  const [{ S3Client, PutObjectTaggingCommand }, { Upload }] = await Promise.all([
    import('@aws-sdk/client-s3'),
    import('@aws-sdk/lib-storage'),
  ]);
  const client = new S3Client({
    region: target.region ?? 'us-west-2',
    ...(target.endpoint ? { endpoint: target.endpoint, forcePathStyle: true } : {}),
    // Checksums only where S3 requires them, so S3-compatible stores that lack the newer trailers accept uploads.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const uploaded: Uploaded[] = [];
  try {
    for (const name of readdirSync(directory)
      .filter((n) => n.startsWith('S1-GUNW'))
      .sort()) {
      const path = join(directory, name);
      const key = objectKey(target.prefix, name);
      const contentType = contentTypeOf(name);
      const upload = new Upload({
        client,
        params: { Bucket: target.bucket, Key: key, Body: createReadStream(path), ContentType: contentType },
        partSize: PART_SIZE,
        queueSize: 4,
      });
      await upload.done();
      const fileType = name.endsWith('.png') ? 'browse' : 'product';
      await client.send(
        new PutObjectTaggingCommand({
          Bucket: target.bucket,
          Key: key,
          Tagging: { TagSet: [{ Key: 'file_type', Value: fileType }] },
        }),
      );
      const result = { key, bytes: statSync(path).size, contentType, fileType } as const;
      uploaded.push(result);
      onFile?.(result);
    }
  } finally {
    client.destroy();
  }
  return uploaded;
}
