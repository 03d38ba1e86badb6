import { createHash } from 'node:crypto';
import { LocalService, type Seen } from './services.js';

/**
 * An S3-compatible server on 127.0.0.1 for the upload tests: path-style PutObject, multipart upload (create, part,
 * complete, abort) and PutObjectTagging, answering in S3's XML. It keeps what was stored (bytes, content type,
 * tags, how many parts) and refuses unsigned requests, as S3 would.
 */

export interface StoredObject {
  body: Buffer;
  contentType: string | undefined;
  tags: Record<string, string>;
  parts: number;
}

const xml = (body: string): string => `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
const etag = (data: Buffer): string => `"${createHash('md5').update(data).digest('hex')}"`;

/** Undo `aws-chunked` content encoding (`<hex size>[;signature]\r\n<data>\r\n ... 0\r\n<trailers>`). */
function decodeBody(request: Seen, raw: Buffer): Buffer {
  const encoding = String(request.headers['content-encoding'] ?? '');
  const streaming = String(request.headers['x-amz-content-sha256'] ?? '').startsWith('STREAMING-');
  if (!encoding.includes('aws-chunked') && !streaming) return raw;
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', at);
    const size = parseInt(raw.toString('latin1', at, lineEnd).split(';')[0]!, 16);
    if (!size) break;
    parts.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

export class FakeS3 {
  readonly objects = new Map<string, StoredObject>();
  private readonly uploads = new Map<
    string,
    { key: string; contentType: string | undefined; parts: Map<number, Buffer> }
  >();
  private nextUpload = 1;
  readonly service: LocalService;

  constructor() {
    this.service = new LocalService((request, response) => {
      if (!String(request.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 ')) {
        response
          .writeHead(403, { 'Content-Type': 'application/xml' })
          .end(xml('<Error><Code>AccessDenied</Code><Message>unsigned request</Message></Error>'));
        return;
      }
      const url = new URL(request.url, 'http://x');
      const key = decodeURIComponent(url.pathname.slice(1));
      const body = decodeBody(request, request.raw);
      const query = url.searchParams;
      if (request.method === 'POST' && query.has('uploads')) {
        const id = `upload-${this.nextUpload++}`;
        this.uploads.set(id, { key, contentType: request.headers['content-type'], parts: new Map() });
        response
          .writeHead(200, { 'Content-Type': 'application/xml' })
          .end(
            xml(
              `<InitiateMultipartUploadResult><Bucket>${key.split('/')[0]}</Bucket><Key>${key.split('/').slice(1).join('/')}</Key><UploadId>${id}</UploadId></InitiateMultipartUploadResult>`,
            ),
          );
      } else if (request.method === 'PUT' && query.has('uploadId')) {
        this.uploads.get(query.get('uploadId')!)!.parts.set(Number(query.get('partNumber')), body);
        response.writeHead(200, { ETag: etag(body) }).end();
      } else if (request.method === 'POST' && query.has('uploadId')) {
        const upload = this.uploads.get(query.get('uploadId')!)!;
        const numbers = [...upload.parts.keys()].sort((a, b) => a - b);
        const data = Buffer.concat(numbers.map((n) => upload.parts.get(n)!));
        this.objects.set(upload.key, { body: data, contentType: upload.contentType, tags: {}, parts: numbers.length });
        this.uploads.delete(query.get('uploadId')!);
        response
          .writeHead(200, { 'Content-Type': 'application/xml' })
          .end(
            xml(
              `<CompleteMultipartUploadResult><Key>${upload.key}</Key><ETag>${etag(data)}</ETag></CompleteMultipartUploadResult>`,
            ),
          );
      } else if (request.method === 'DELETE' && query.has('uploadId')) {
        this.uploads.delete(query.get('uploadId')!);
        response.writeHead(204).end();
      } else if (request.method === 'PUT' && query.has('tagging')) {
        const object = this.objects.get(key);
        if (!object)
          return void response
            .writeHead(404, { 'Content-Type': 'application/xml' })
            .end(xml('<Error><Code>NoSuchKey</Code></Error>'));
        for (const tag of body.toString('utf8').matchAll(/<Tag><Key>([^<]*)<\/Key><Value>([^<]*)<\/Value><\/Tag>/g))
          object.tags[tag[1]!] = tag[2]!;
        response.writeHead(200).end();
      } else if (request.method === 'PUT') {
        this.objects.set(key, { body, contentType: request.headers['content-type'], tags: {}, parts: 1 });
        response.writeHead(200, { ETag: etag(body) }).end();
      } else {
        response.writeHead(405).end();
      }
    });
  }

  async start(): Promise<this> {
    await this.service.start();
    return this;
  }
}
