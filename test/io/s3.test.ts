import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bucketNameProblem, objectKey, PART_SIZE, uploadDelivery } from '../../src/io/s3.js';
import { FakeS3 } from '../helpers/s3-server.js';
import { tempDir } from '../helpers/tmp.js';

const ID = 'S1-GUNW-A-R-164-tops-20220212_20220131-222829-00071W_00047N-PP-3d6c-v3_0_1';
let s3: FakeS3;

beforeAll(async () => {
  // The SDK's default credential chain reads these; the fake server only checks that requests are signed.
  process.env.AWS_ACCESS_KEY_ID = 'AKIDTEST';
  process.env.AWS_SECRET_ACCESS_KEY = 'test-secret-key';
  s3 = await new FakeS3().start();
});

describe('S3 delivery', () => {
  it('uploads every S1-GUNW file with its content type and file_type tag, multipart when large', async () => {
    const dir = join(tempDir(), ID);
    mkdirSync(dir);
    const product = randomBytes(PART_SIZE * 2 + 1234);
    writeFileSync(join(dir, `${ID}.nc`), product);
    writeFileSync(join(dir, `${ID}.png`), Buffer.from('png'));
    writeFileSync(join(dir, `${ID}.json`), '{}');
    writeFileSync(join(dir, 'notes.txt'), 'not delivered');
    const uploaded = await uploadDelivery(dir, {
      bucket: 'hyp3-contentbucket',
      prefix: 'job-123',
      endpoint: s3.service.base,
    });
    expect(uploaded.map((u) => [u.key, u.contentType, u.fileType])).toEqual([
      [`job-123/${ID}.json`, 'application/json', 'product'],
      [`job-123/${ID}.nc`, 'application/x-netcdf', 'product'],
      [`job-123/${ID}.png`, 'image/png', 'browse'],
    ]);
    const stored = s3.objects.get(`hyp3-contentbucket/job-123/${ID}.nc`)!;
    expect(stored.body.equals(product)).toBe(true);
    expect(stored.parts).toBe(3);
    expect(stored.contentType).toBe('application/x-netcdf');
    expect(stored.tags).toEqual({ file_type: 'product' });
    expect(s3.objects.get(`hyp3-contentbucket/job-123/${ID}.png`)!.tags).toEqual({ file_type: 'browse' });
    expect([...s3.objects.keys()].some((k) => k.endsWith('notes.txt'))).toBe(false);
    expect(s3.service.seen.every((r) => !JSON.stringify(r.headers).includes('test-secret-key'))).toBe(true);
  });

  it('keys files by a POSIX join of the prefix, and checks bucket names before any work', () => {
    expect(objectKey('', 'a.nc')).toBe('a.nc');
    expect(objectKey('jobs/1/', 'a.nc')).toBe('jobs/1/a.nc');
    expect(bucketNameProblem('hyp3-contentbucket')).toBeNull();
    expect(bucketNameProblem('My_Bucket')).toMatch(/is not an S3 bucket name \(3-63 lowercase letters/);
    expect(bucketNameProblem('a..b')).toMatch(/no consecutive dots/);
  });
});
