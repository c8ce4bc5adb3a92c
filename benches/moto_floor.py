#!/usr/bin/env python3
"""moto's own cost for the requests pgbag makes, for benches/bench.sh.

    python3 benches/moto_floor.py BUCKET KEY LOCAL_FILE PART_MIB

Talks only to AWS_ENDPOINT_URL (bench.sh points it at its moto_server on
127.0.0.1) with the AWS_* credentials in the environment. Measures, in this
one process (no process start-up, no SDK loading in the figures):

- head_range_ms: HEAD + one 64 KiB ranged GET of KEY (what `pgbag inspect`
  does for a package whose head fits in 64 KiB), best of 10;
- get_s: a full streamed GET of KEY (what `pgbag validate` reads), best of 3;
- put_s / complete_s: a sequential multipart upload of LOCAL_FILE to
  KEY + ".floor" in PART_MIB parts, and of that, CompleteMultipartUpload
  alone (moto assembles the object then); best of 3, object deleted after.

Prints one JSON object.
"""

import json
import sys
import time

import boto3


def best(n, f):
    return min(f() for _ in range(n))


def main():
    bucket, key, local, part_mib = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    s3 = boto3.client("s3")

    def head_range():
        t = time.perf_counter()
        s3.head_object(Bucket=bucket, Key=key)
        s3.get_object(Bucket=bucket, Key=key, Range="bytes=0-65535")["Body"].read()
        return time.perf_counter() - t

    def get():
        t = time.perf_counter()
        body = s3.get_object(Bucket=bucket, Key=key)["Body"]
        for _ in body.iter_chunks(1 << 20):
            pass
        return time.perf_counter() - t

    part = part_mib << 20
    floor_key = key + ".floor"
    completes = []

    def put():
        t = time.perf_counter()
        up = s3.create_multipart_upload(Bucket=bucket, Key=floor_key)["UploadId"]
        parts = []
        with open(local, "rb") as f:
            n = 1
            while True:
                data = f.read(part)
                if not data:
                    break
                r = s3.upload_part(Bucket=bucket, Key=floor_key, UploadId=up, PartNumber=n, Body=data)
                parts.append({"PartNumber": n, "ETag": r["ETag"]})
                n += 1
        tc = time.perf_counter()
        s3.complete_multipart_upload(
            Bucket=bucket, Key=floor_key, UploadId=up, MultipartUpload={"Parts": parts}
        )
        t1 = time.perf_counter()
        completes.append(t1 - tc)
        s3.delete_object(Bucket=bucket, Key=floor_key)
        return t1 - t

    out = {"head_range_ms": round(best(10, head_range) * 1000, 1), "get_s": round(best(3, get), 3)}
    out["put_s"] = round(best(3, put), 3)
    out["complete_s"] = round(min(completes), 3)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
