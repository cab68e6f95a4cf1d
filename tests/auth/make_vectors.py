#!/usr/bin/env python3
"""Generates tests/auth/vectors.json: SigV4-signed requests as real clients send them.

Every request is signed by botocore itself (the signer inside boto3 and the AWS CLI): client calls are
captured at botocore's 'before-send' event, just before they would reach the network; a few requests
are built by hand and signed with botocore's SigV4Auth / S3SigV4Auth / SigV4QueryAuth /
S3SigV4QueryAuth classes where no client operation produces the shape wanted (repeated header values,
a Date header instead of X-Amz-Date). Chunk signatures of the signed aws-chunked uploads are computed
here following the Amazon S3 API Reference "Signature Calculations for the Authorization Header:
Transferring Payload in Multiple Chunks (Chunked Upload)" and its trailing-header variant, since
botocore does not sign chunks; the unsigned-trailer upload is botocore's own aws-chunked body.

The clock is fixed (botocore.auth.get_current_datetime and uuid4 are patched), so a run is
reproducible. Usage: python3 tests/auth/make_vectors.py > tests/auth/vectors.json
"""

import base64
import datetime
import hashlib
import hmac
import json
import logging
import sys
import uuid
import zlib
from urllib.parse import urlsplit

import botocore
import botocore.auth
import botocore.session
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

SIGNED_AT = datetime.datetime(2024, 5, 1, 12, 0, 0)
AMZ_DATE = SIGNED_AT.strftime('%Y%m%dT%H%M%SZ')
ACCESS_KEY = 'AKIAXACCTEXAMPLE0001'
SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYXACCTKEY01'
SESSION_ACCESS_KEY = 'ASIAXACCTEXAMPLE0002'
SESSION_SECRET = 'Zm9vYmFyYmF6cXV4L3NlY3JldCtrZXkvZXhhbXBsZQ'
SESSION_TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+token/with+plus=='

botocore.auth.get_current_datetime = lambda *args, **kwargs: SIGNED_AT
uuid.uuid4 = lambda: uuid.UUID('00000000-0000-4000-8000-000000000000')


class Captured(Exception):
    def __init__(self, request):
        super().__init__('captured')
        self.request = request


class CanonicalLog(logging.Handler):
    """Keeps the last canonical request and string to sign botocore's signer logged."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.canonical = None
        self.string_to_sign = None

    def emit(self, record):
        if record.msg.startswith('CanonicalRequest:'):
            self.canonical = record.args[0]
        elif record.msg.startswith('StringToSign:'):
            self.string_to_sign = record.args[0]


LOG = CanonicalLog()
logging.getLogger('botocore.auth').addHandler(LOG)
logging.getLogger('botocore.auth').setLevel(logging.DEBUG)


def body_bytes(body):
    if body is None:
        return b''
    if isinstance(body, str):
        return body.encode('utf-8')
    if isinstance(body, (bytes, bytearray)):
        return bytes(body)
    data = body.read()
    return data.encode('utf-8') if isinstance(data, str) else data


def vector(name, source, method, url, headers, body, service, region, secret, **extra):
    parts = urlsplit(url)
    target = parts.path or '/'
    if parts.query:
        target += '?' + parts.query
    header_list = []
    if not any(k.lower() == 'host' for k, _ in headers):
        header_list.append(['Host', botocore.auth._host_from_url(url)])
    for k, v in headers:
        v = v if isinstance(v, str) else v.decode('utf-8')
        if k.lower() == 'user-agent':
            v = 'Botocore/' + botocore.__version__  # unsigned; the full string varies by machine and run
        header_list.append([k, v])
    body = body_bytes(body)
    v = {
        'name': name,
        'source': source,
        'service': service,
        'region': region,
        'secret_key': secret,
        'now': AMZ_DATE,
        'expect': 'ok',
        'method': method,
        'target': target,
        'headers': header_list,
        'body_base64': base64.b64encode(body).decode('ascii'),
        'body_sha256': hashlib.sha256(body).hexdigest(),
        'canonical_request': LOG.canonical,
        'string_to_sign': LOG.string_to_sign,
    }
    v.update(extra)
    return v


def client(service, region, endpoint, token=False, **config):
    session = botocore.session.get_session()
    return session.create_client(
        service,
        region_name=region,
        endpoint_url=endpoint,
        aws_access_key_id=SESSION_ACCESS_KEY if token else ACCESS_KEY,
        aws_secret_access_key=SESSION_SECRET if token else SECRET_KEY,
        aws_session_token=SESSION_TOKEN if token else None,
        config=Config(**config),
    )


def capture(c, operation, **params):
    def stop(request, **kwargs):
        raise Captured(request)

    c.meta.events.register_first('before-send', stop)
    try:
        getattr(c, operation)(**params)
    except Captured as e:
        return e.request
    raise RuntimeError(f'{operation} was not captured')


def from_client(name, source, c, operation, service, region, token=False, **params):
    r = capture(c, operation, **params)
    return vector(name, source, r.method, r.url, list(r.headers.items()), r.body, service, region,
                  SESSION_SECRET if token else SECRET_KEY)


def presigned(name, source, url, service, region, secret, **extra):
    # A presigned URL is valid for the method it was signed for (botocore signs STS's with POST).
    method = LOG.canonical.split('\n')[0]
    return vector(name, source, method, url, [], b'', service, region, secret, **extra)


def hand_signed(signer_cls, service, region, method, url, headers, body=b'', secret=SECRET_KEY, **kwargs):
    request = AWSRequest(method=method, url=url, data=body)
    for k, v in headers:
        request.headers[k] = v  # HTTPHeaders appends: a repeated name keeps every value
    signer_cls(Credentials(ACCESS_KEY, secret), service, region, **kwargs).add_auth(request)
    return request


def signing_key(secret, region, service):
    k = ('AWS4' + secret).encode()
    for part in (AMZ_DATE[:8], region, service, 'aws4_request'):
        k = hmac.new(k, part.encode(), hashlib.sha256).digest()
    return k


def chunked_body(payload, chunk_size, mode, seed, secret, region, checksum=None):
    """aws-chunked encoding of payload; mode 'signed', 'signed-trailer' or 'unsigned-trailer'."""
    key = signing_key(secret, region, 's3')
    scope = f'{AMZ_DATE[:8]}/{region}/s3/aws4_request'
    empty = hashlib.sha256(b'').hexdigest()
    previous = seed
    out = bytearray()
    chunks = [payload[i:i + chunk_size] for i in range(0, len(payload), chunk_size)] + [b'']
    for chunk in chunks:
        if mode == 'unsigned-trailer':
            out += f'{len(chunk):x}\r\n'.encode()
        else:
            sts = '\n'.join(['AWS4-HMAC-SHA256-PAYLOAD', AMZ_DATE, scope, previous, empty,
                             hashlib.sha256(chunk).hexdigest()])
            previous = hmac.new(key, sts.encode(), hashlib.sha256).hexdigest()
            out += f'{len(chunk):x};chunk-signature={previous}\r\n'.encode()
        if chunk:
            out += chunk + b'\r\n'
    if mode == 'signed':
        out += b'\r\n'
        return bytes(out)
    trailer = f'{checksum[0]}:{checksum[1]}\n'
    out += trailer.replace('\n', '\r\n').encode()
    if mode == 'signed-trailer':
        sts = '\n'.join(['AWS4-HMAC-SHA256-TRAILER', AMZ_DATE, scope, previous,
                         hashlib.sha256(trailer.encode()).hexdigest()])
        signature = hmac.new(key, sts.encode(), hashlib.sha256).hexdigest()
        out += f'x-amz-trailer-signature:{signature}\r\n'.encode()
    out += b'\r\n'
    return bytes(out)


class StreamingS3Auth(botocore.auth.S3SigV4Auth):
    """S3SigV4Auth that signs a STREAMING-* payload hash instead of the body's digest."""

    def __init__(self, credentials, service, region, streaming):
        super().__init__(credentials, service, region)
        self._streaming = streaming

    def payload(self, request):
        return self._streaming


def streaming_vector(name, mode, payload, chunk_size):
    region = 'us-west-2'
    url = 'http://localhost:4566/uploads/chunked/object.bin'
    literal = {'signed': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
               'signed-trailer': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER'}[mode]
    crc = base64.b64encode((zlib.crc32(payload) & 0xffffffff).to_bytes(4, 'big')).decode()
    headers = [('Content-Encoding', 'aws-chunked'), ('X-Amz-Decoded-Content-Length', str(len(payload))),
               ('X-Amz-Storage-Class', 'STANDARD')]
    if mode == 'signed-trailer':
        headers.append(('X-Amz-Trailer', 'x-amz-checksum-crc32'))
    # Content-Length is the encoded length, so sign a provisional request to learn the seed's shape first:
    # the seed signature does not change the encoded length (a signature is always 64 hex digits).
    probe = chunked_body(payload, chunk_size, mode, '0' * 64, SECRET_KEY, region, ('x-amz-checksum-crc32', crc))
    headers.append(('Content-Length', str(len(probe))))
    r = hand_signed(StreamingS3Auth, 's3', region, 'PUT', url, headers, b'', streaming=literal)
    seed = r.headers['Authorization'].split('Signature=')[1]
    wire = chunked_body(payload, chunk_size, mode, seed, SECRET_KEY, region, ('x-amz-checksum-crc32', crc))
    v = vector(name, f'S3SigV4Auth ({literal}); chunk signatures per the S3 chunked-upload document',
               'PUT', url, list(r.headers.items()), b'', 's3', region, SECRET_KEY)
    v['chunked'] = {
        'wire_base64': base64.b64encode(wire).decode('ascii'),
        'payload_sha256': hashlib.sha256(payload).hexdigest(),
        'payload_length': len(payload),
        'trailers': [] if mode == 'signed' else [['x-amz-checksum-crc32', crc]],
    }
    return v


def aws_doc_chunked_example():
    """The worked example of the S3 chunked-upload document: its seed and chunk signatures are printed there."""
    payload = b'a' * 66560
    headers = [('Host', 's3.amazonaws.com'), ('x-amz-date', '20130524T000000Z'),
               ('x-amz-storage-class', 'REDUCED_REDUNDANCY'),
               ('x-amz-content-sha256', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD'),
               ('Content-Encoding', 'aws-chunked'), ('x-amz-decoded-content-length', '66560'),
               ('Content-Length', '66824')]
    seed = '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9'
    auth = ('AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,'
            'SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;'
            'x-amz-decoded-content-length;x-amz-storage-class,Signature=' + seed)
    secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
    key = b'AWS4' + secret.encode()
    for part in ('20130524', 'us-east-1', 's3', 'aws4_request'):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    previous, wire, signatures = seed, bytearray(), []
    for chunk in (payload[:65536], payload[65536:], b''):
        sts = '\n'.join(['AWS4-HMAC-SHA256-PAYLOAD', '20130524T000000Z', '20130524/us-east-1/s3/aws4_request',
                         previous, hashlib.sha256(b'').hexdigest(), hashlib.sha256(chunk).hexdigest()])
        previous = hmac.new(key, sts.encode(), hashlib.sha256).hexdigest()
        signatures.append(previous)
        wire += f'{len(chunk):x};chunk-signature={previous}\r\n'.encode() + chunk + b'\r\n'
    # The document lists these three chunk signatures.
    assert signatures == ['ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648',
                          '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497',
                          'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9'], signatures
    assert len(wire) == 66824
    return {
        'name': 's3_chunked_upload_aws_document_example',
        'source': 'Amazon S3 API Reference, sigv4-streaming.html, "Example: PUT Object" (seed and chunk '
                  'signatures printed in the document)',
        'service': 's3', 'region': 'us-east-1', 'secret_key': secret, 'now': '20130524T000000Z', 'expect': 'ok',
        'method': 'PUT', 'target': '/examplebucket/chunkObject.txt',
        'headers': [list(h) for h in headers] + [['Authorization', auth]],
        'body_base64': '', 'body_sha256': hashlib.sha256(b'').hexdigest(),
        'canonical_request': None, 'string_to_sign': None,
        'chunked': {'wire_base64': base64.b64encode(bytes(wire)).decode('ascii'),
                    'payload_sha256': hashlib.sha256(payload).hexdigest(), 'payload_length': len(payload),
                    'trailers': []},
    }


def later(amz_date, seconds):
    t = datetime.datetime.strptime(amz_date, '%Y%m%dT%H%M%SZ') + datetime.timedelta(seconds=seconds)
    return t.strftime('%Y%m%dT%H%M%SZ')


def main():
    vectors = []
    http = 'http://localhost:4566'
    https = 'https://localhost:4566'

    iam = client('iam', 'us-east-1', http)
    vectors.append(from_client('iam_list_users_query_post', 'botocore IAM client, ListUsers (query protocol, '
                               'form body)', iam, 'list_users', 'iam', 'us-east-1', PathPrefix='/team a/'))

    glue = client('glue', 'eu-west-1', http)
    vectors.append(from_client('glue_get_table_json_post', 'botocore Glue client, GetTable (JSON 1.1, '
                               'X-Amz-Target)', glue, 'get_table', 'glue', 'eu-west-1',
                               CatalogId='111111111111', DatabaseName='db', Name='sales'))

    sts = client('sts', 'us-east-1', http, token=True)
    vectors.append(from_client('sts_get_caller_identity_session_token', 'botocore STS client with a session '
                               'token (X-Amz-Security-Token signed)', sts, 'get_caller_identity', 'sts',
                               'us-east-1', token=True))

    s3 = client('s3', 'us-east-1', http, signature_version='s3v4', s3={'addressing_style': 'path'})
    vectors.append(from_client('s3_get_object_key_needing_encoding', 'botocore S3 client, GetObject; key with '
                               'space, unicode, ~ + = & $ @ !', s3, 'get_object', 's3', 'us-east-1',
                               Bucket='data-lake', Key='raw/2024 05/caf\u00e9 \u00fc~+=&$@!.csv'))
    vectors.append(from_client('s3_get_object_dot_segments_not_normalized', 'botocore S3 client, GetObject; '
                               'S3 signs the path as is: ".." and "//" kept', s3, 'get_object', 's3', 'us-east-1',
                               Bucket='data-lake', Key='a/../b//c/./d.txt'))
    vectors.append(from_client('s3_list_objects_v2_query', 'botocore S3 client, ListObjectsV2; query parameters '
                               'sorted and encoded', s3, 'list_objects_v2', 's3', 'us-east-1',
                               Bucket='data-lake', Prefix='year=2024/month 05/', Delimiter='/', MaxKeys=10,
                               StartAfter='caf\u00e9+x'))
    s3_token = client('s3', 'us-east-1', http, token=True, signature_version='s3v4', s3={'addressing_style': 'path'})
    vectors.append(from_client('s3_put_object_session_token', 'botocore S3 client, PutObject with a session '
                               'token over http (body hash signed)', s3_token, 'put_object', 's3', 'us-east-1',
                               token=True, Bucket='data-lake', Key='k.json', Body=b'{"a": 1}',
                               ContentType='application/json', Metadata={'owner': 'team  a'}))

    url = s3.generate_presigned_url('get_object', Params={'Bucket': 'data-lake', 'Key': 'reports/q1 final.csv'},
                                    ExpiresIn=3600)
    vectors.append(presigned('s3_presigned_get', 'botocore generate_presigned_url (S3SigV4QueryAuth), 1 hour',
                             url, 's3', 'us-east-1', SECRET_KEY, now=later(AMZ_DATE, 3599)))
    vectors.append(presigned('s3_presigned_get_past_expiry', 'the same URL one second after X-Amz-Expires',
                             url, 's3', 'us-east-1', SECRET_KEY, now=later(AMZ_DATE, 3601),
                             expect='kExpired'))
    url = s3_token.generate_presigned_url('put_object', Params={'Bucket': 'data-lake', 'Key': 'in/upload.bin'},
                                          ExpiresIn=604800)
    vectors.append(presigned('s3_presigned_put_session_token_week', 'botocore presigned PutObject, session '
                             'token in the query, X-Amz-Expires 604800', url, 's3', 'us-east-1',
                             SESSION_SECRET, now=later(AMZ_DATE, 604000)))
    url = sts.generate_presigned_url('get_caller_identity', ExpiresIn=900)
    vectors.append(presigned('sts_presigned_get_caller_identity', 'botocore presigned STS GetCallerIdentity '
                             '(SigV4QueryAuth: body hash signed, not UNSIGNED-PAYLOAD)', url, 'sts',
                             'us-east-1', SESSION_SECRET, now=later(AMZ_DATE, 60)))

    r = hand_signed(botocore.auth.SigV4Auth, 'dynamodb', 'us-east-1', 'POST', http + '/',
                    [('X-Amz-Target', 'DynamoDB_20120810.ListTables'),
                     ('Content-Type', 'application/x-amz-json-1.0'),
                     ('X-Xacct-Tag', '  first   value  '), ('X-Xacct-Tag', 'second\tvalue'),
                     ('X-Xacct-Tag', 'third')], b'{}')
    vectors.append(vector('json_post_repeated_header_values', 'SigV4Auth; one header sent three times, values '
                          'with runs of white space', 'POST', r.url, list(r.headers.items()), b'{}',
                          'dynamodb', 'us-east-1', SECRET_KEY))
    r = hand_signed(botocore.auth.SigV4Auth, 'sqs', 'us-east-1', 'GET',
                    http + '/queue/./a/../b//c?Action=ListQueues&Version=2012-11-05',
                    [('Date', 'placeholder')])
    vectors.append(vector('query_get_date_header_normalized_path', 'SigV4Auth with a Date header (no X-Amz-Date) '
                          'and a path other services normalize', 'GET', r.url, list(r.headers.items()), b'',
                          'sqs', 'us-east-1', SECRET_KEY))

    payload = bytes((i * 7 + 3) % 251 for i in range(70000))
    vectors.append(streaming_vector('s3_put_streaming_signed', 'signed', payload, 65536))
    vectors.append(streaming_vector('s3_put_streaming_signed_trailer', 'signed-trailer', payload, 65536))

    s3_https = client('s3', 'us-east-1', https, signature_version='s3v4', s3={'addressing_style': 'path'})
    r = capture(s3_https, 'put_object', Bucket='data-lake', Key='stream.bin', Body=payload[:20000])
    wire = body_bytes(r.body)
    v = vector('s3_put_unsigned_trailer', 'botocore S3 client, PutObject over https: '
               'STREAMING-UNSIGNED-PAYLOAD-TRAILER with a CRC32 trailer (botocore\'s own aws-chunked body)',
               r.method, r.url, list(r.headers.items()), b'', 's3', 'us-east-1', SECRET_KEY)
    trailer = wire.rstrip(b'\r\n').split(b'\r\n')[-1].decode()
    v['chunked'] = {'wire_base64': base64.b64encode(wire).decode('ascii'),
                    'payload_sha256': hashlib.sha256(payload[:20000]).hexdigest(), 'payload_length': 20000,
                    'trailers': [trailer.split(':', 1)]}
    assert r.headers['X-Amz-Content-SHA256'] in (b'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
                                                 'STREAMING-UNSIGNED-PAYLOAD-TRAILER'), r.headers
    vectors.append(v)

    vectors.append(aws_doc_chunked_example())

    json.dump({'generator': 'tests/auth/make_vectors.py', 'botocore': botocore.__version__,
               'signed_at': AMZ_DATE, 'vectors': vectors}, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
