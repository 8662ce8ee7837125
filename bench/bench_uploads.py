"""Benchmark: how much memory one upload costs a worker, per kind of image.

Each kind runs in a fresh process that builds the real app (the models in --models, by default
the main job's data/models), warms it with a small JPEG so every model is loaded, makes the
upload's bytes, resets the process's peak RSS (/proc/self/clear_refs) and posts the upload to
POST /api/predict through the app. It prints the file size, the answer, the time and the
growth of the peak RSS over the RSS before the request; the target is under 300 MB for every
upload within the default limits (20 MB, 40 million pixels). The baseline is the same app
scoring the small JPEG. Linux only (it reads /proc). The load average is printed before and
after (memory does not depend on it; the times do).

    python bench/bench_uploads.py [--models data/models] [--side 6300]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_MB = 300
ROOT = Path(__file__).resolve().parent.parent


def _gradient(side: int, mode: str):  # type: ignore[no-untyped-def]
    import numpy as np
    from PIL import Image

    ramp = np.linspace(0, 1, side, dtype=np.float32)
    values = np.add.outer(ramp, ramp) / 2  # a smooth image: small files, many pixels
    if mode == "I;16":
        return Image.fromarray((values * 65535).astype(np.uint16))
    if mode == "F":  # whole numbers in float32: what a scanner's float TIFF holds, compressible
        return Image.fromarray(np.round(values * 255))
    grey = Image.fromarray((values * 255).astype(np.uint8))
    if mode == "RGBA":
        return Image.merge("RGBA", [grey, grey.transpose(Image.Transpose.ROTATE_90), grey, grey])
    if mode == "P":
        return grey.convert("RGB").quantize(64)
    return grey.convert(mode)


# kind -> (PIL mode, save format, save options, side scale): the largest each may be, within
# 40 million pixels (16 million for WebP) and 20 MB (BMP has no compression).
KINDS = {
    "small-jpeg (baseline)": ("RGB", "JPEG", {"quality": 90}, None),
    "png-16bit-grey": ("I;16", "PNG", {}, 1.0),
    "png-rgba": ("RGBA", "PNG", {}, 1.0),
    "jpeg-rgb-q90": ("RGB", "JPEG", {"quality": 90}, 1.0),
    "webp-rgb": ("RGB", "WEBP", {"quality": 80}, 0.63),  # WebP's own limit: 16 MP
    "gif-palette": ("P", "GIF", {}, 1.0),
    "tiff-float": ("F", "TIFF", {"compression": "tiff_deflate"}, 1.0),
    "tiff-16bit-grey": ("I;16", "TIFF", {"compression": "tiff_deflate"}, 1.0),
    "bmp-rgb": ("RGB", "BMP", {}, 0.4),
}


def _proc_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def measure(kind: str, side: int, models: Path) -> dict:
    """In this process: the app, warmed, then one upload of KIND; what it cost."""
    from api import create_app
    from api.config import ApiSettings

    data = Path(tempfile.mkdtemp(prefix="bench-uploads-"))
    app = create_app(
        ApiSettings.from_env(
            {**os.environ, "GRAPHKIT_DATA_DIR": str(data), "GRAPHKIT_MODELS_DIR": str(models)}
        )
    )
    client = app.test_client()

    def post(payload: bytes, name: str):  # type: ignore[no-untyped-def]
        return client.post(
            "/api/predict",
            data={"image": (io.BytesIO(payload), name)},
            content_type="multipart/form-data",
        )

    warm = io.BytesIO()
    _gradient(256, "RGB").save(warm, "JPEG", quality=90)
    warmed = post(warm.getvalue(), "warm.jpg")
    mode, fmt, options, scale = KINDS[kind]
    image = _gradient(int(side * scale) if scale else 256, mode)
    out = io.BytesIO()
    image.save(out, fmt, **options)
    payload, size = out.getvalue(), image.size
    del image, out
    import gc

    gc.collect()
    Path("/proc/self/clear_refs").write_text("5")  # the peak RSS starts again from now
    before = _proc_kb("VmRSS")
    started = time.perf_counter()
    answer = post(payload, f"upload.{fmt.lower()}")
    took = time.perf_counter() - started
    peak = _proc_kb("VmHWM")
    return {
        "kind": kind,
        "pixels": f"{size[0]}x{size[1]}",
        "file_kb": len(payload) // 1024,
        "status": answer.status_code,
        "warm_status": warmed.status_code,
        "seconds": round(took, 2),
        "peak_growth_mb": round((peak - before) / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", type=Path, default=ROOT / "data" / "models")
    parser.add_argument("--side", type=int, default=6300, help="pixels a side (40M limit)")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # the child process's kind
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.side, args.models)))
        return
    if not args.models.is_dir():
        print(f"no models in {args.models}: run ./run main first, or pass --models", flush=True)
    print(f"load average before: {os.getloadavg()}", flush=True)
    rows = []
    for kind in KINDS:
        done = subprocess.run(
            [sys.executable, __file__, "--one", kind, "--side", str(args.side),
             "--models", str(args.models)],
            capture_output=True, text=True, cwd=ROOT, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            print(f"{kind}: failed\n{done.stderr[-2000:]}", flush=True)
            continue
        row = json.loads(done.stdout.strip().splitlines()[-1])
        rows.append(row)
        verdict = "ok" if row["peak_growth_mb"] <= TARGET_MB else f"OVER {TARGET_MB} MB"
        print(
            f"{row['kind']:24} {row['pixels']:>11} {row['file_kb']:>7} KB  HTTP {row['status']}"
            f"  {row['seconds']:>5} s  peak +{row['peak_growth_mb']:>6} MB  {verdict}",
            flush=True,
        )
    print(f"load average after: {os.getloadavg()}", flush=True)
    worst = max((row["peak_growth_mb"] for row in rows), default=0.0)
    print(f"largest growth: {worst} MB (target: under {TARGET_MB} MB)")
    if len(rows) < len(KINDS) or worst > TARGET_MB:
        sys.exit(1)


if __name__ == "__main__":
    main()
