"""Benchmark: certificate PDFs per second, against a raw reportlab canvas drawing the same.

    .venv/bin/python bench/certificate_pdf.py [--count 300] [--rounds 3]

Both sides render the same text with the same embedded TrueType fonts and a QR code of the
verification URL, with the branding's defaults (no logo or signature image), in the classic
layout, on a single core (one process, one thread), for certificates with distinct
codes so no QR code comes from a cache. The baseline is the minimum: one canvas, fixed positions,
``drawString`` calls and the QR code's dark runs as one path, no fitting or wrapping of text,
no frame, colours or metadata.
Rounds alternate between the two so both see the same machine load.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("LEARNWARD_DATA_DIR", tempfile.mkdtemp(prefix="lw-bench-pdf-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learnward.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

call_command("migrate", verbosity=0)  # the branding is read from the database (empty: defaults)

import segno  # noqa: E402
from django.conf import settings  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from learnward.certificates import pdf  # noqa: E402
from learnward.certificates.codes import new_code  # noqa: E402
from learnward.certificates.models import Certificate  # noqa: E402


def certificates(count: int) -> list[Certificate]:
    return [
        Certificate(
            code=new_code(),
            holder_name=f"Amira Okafor {i}",
            course_title="Safeguarding Adults Level 2",
            cpd_hours=Decimal("3.50"),
            awarded_on=date(2025, 6, 1),
            expires_on=date(2026, 6, 1),
            status_list_index=i,
            awarding_body="Skills for Care Awarding",
            accreditation_number="CPD-2026-0417",
        )
        for i in range(count)
    ]


def baseline(certificate: Certificate) -> bytes:
    """Raw reportlab: the same strings, fonts and QR code, nothing else."""
    url = f"{settings.BASE_URL}/verify/{certificate.display_code}/"
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=(pdf.PAGE_WIDTH, pdf.PAGE_HEIGHT), initialFontName=pdf.REGULAR)
    c.setFont(pdf.BOLD, 16)
    c.drawCentredString(421, 524, settings.PROVIDER_NAME)
    c.setFont(pdf.BOLD, 26)
    c.drawCentredString(421, 488, "Certificate of Continuing")
    c.drawCentredString(421, 458, "Professional Development")
    c.setFont(pdf.REGULAR, 13)
    c.drawCentredString(421, 428, "This certifies that")
    c.setFont(pdf.BOLD, 28)
    c.drawCentredString(421, 392, certificate.holder_name)
    c.setFont(pdf.REGULAR, 13)
    c.drawCentredString(421, 366, "has successfully completed the course")
    c.setFont(pdf.BOLD, 20)
    c.drawCentredString(421, 334, certificate.course_title)
    c.setFont(pdf.BOLD, 24)
    c.drawCentredString(421, 300, "3.5 CPD hours")
    c.setFont(pdf.REGULAR, 11)
    c.drawCentredString(
        421,
        280,
        f"Awarding body: {certificate.awarding_body}   ·   "
        f"Accreditation number: {certificate.accreditation_number}",
    )
    c.setFont(pdf.REGULAR, 11)
    c.drawString(64, 132, "Awarded on 1 June 2025")
    c.drawString(64, 116, "Expires on 1 June 2026")
    c.setFont(pdf.BOLD, 11)
    c.drawString(64, 92, f"Certificate code: {certificate.display_code}")
    c.setFont(pdf.REGULAR, 10)
    c.drawString(64, 76, "Check this certificate at")
    c.drawString(64, 62, url)
    qr = segno.make(url, error="m", micro=False)
    rows = list(qr.matrix_iter(scale=1, border=4))
    c.translate(680, 158)
    c.scale(118.0 / len(rows), -118.0 / len(rows))
    path = c.beginPath()
    for r, row in enumerate(rows):  # horizontal runs of dark modules, one path
        col = 0
        while col < len(row):
            if row[col]:
                start = col
                while col < len(row) and row[col]:
                    col += 1
                path.rect(start, r, col - start, 1)
            else:
                col += 1
    c.drawPath(path, stroke=0, fill=1)
    c.showPage()
    c.save()
    return buffer.getvalue()


def ours(certificate: Certificate) -> bytes:
    return pdf.certificate_pdf_bytes(certificate=certificate)


def run(fn, batch: list[Certificate]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) to render ``batch``."""
    pdf.qr_runs.cache_clear()
    wall, cpu = time.perf_counter(), time.process_time()
    for certificate in batch:
        fn(certificate)
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=300, help="PDFs per round and side")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    pdf.register_fonts()
    fonts = ", ".join(p.name for p in pdf.font_files())
    from reportlab.lib import rl_accel

    accelerated = "C" if "built-in" in repr(rl_accel.fp_str) else "pure Python"
    print(f"fonts: {fonts}; reportlab accelerator: {accelerated}")
    warm = certificates(20)
    run(baseline, warm)
    run(ours, warm)
    wall = {"baseline": 0.0, "ours": 0.0}
    cpu = {"baseline": 0.0, "ours": 0.0}
    done = 0
    for _ in range(args.rounds):
        batch = certificates(args.count)
        for name, fn in (("baseline", baseline), ("ours", ours)):
            w, c = run(fn, batch)
            wall[name] += w
            cpu[name] += c
        done += args.count
    # One process, one thread: PDFs per CPU-second is PDFs per second per core, whatever else
    # the machine is running; wall-clock rates are shown too.
    for name, label in (
        ("baseline", "raw reportlab canvas (baseline)"),
        ("ours", "certificate_pdf_bytes"),
    ):
        print(
            f"{label:32} {done / cpu[name]:7.1f} PDFs per CPU-second (per core)   "
            f"{done / wall[name]:7.1f} PDFs/s wall clock   ({done} PDFs)"
        )
    print("target: >= 50 PDFs per second per core")
    print(
        f"ratio (our CPU time / baseline CPU time): {cpu['ours'] / cpu['baseline']:.2f}x (target <= 1.25x)"
    )
    print(f"ratio (wall clock): {wall['ours'] / wall['baseline']:.2f}x")


if __name__ == "__main__":
    main()
