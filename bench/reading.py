"""Figures for exchange.reading: the time and peak memory to read a 10,000-row × 20-column .xlsx, to read 200,000
rows of one column (the most a sheet may have by default), and to refuse a sheet of 1,000,000 rows. Each case runs
in a process of its own, so that its peak resident memory is its own; calamine's part runs in the reader's child
process (reading._isolated), whose peak is shown apart. Prints figures; asserts nothing.

    DJANGO_SETTINGS_MODULE=iodp.settings.test .venv/bin/python bench/reading.py
"""

import datetime
import io
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iodp.settings.test")

import django  # noqa: E402

django.setup()

import xlsxwriter  # noqa: E402

from iodp.exchange.reading import RefusedFile, read_upload  # noqa: E402
from tests.exchange.test_reading import minimal_xlsx, sheet_xml  # noqa: E402

ROWS, COLUMNS = 10_000, 20


def build_wide(path: Path) -> None:
    """10,000 experts × 20 columns: text, numbers and dates, as an export would write them."""
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    sheet = workbook.add_worksheet("基本信息")
    sheet.write_row(0, 0, [f"列{c}" for c in range(COLUMNS)])
    for r in range(1, ROWS + 1):
        for c in range(COLUMNS):
            if c % 4 == 1:
                sheet.write_datetime(r, c, datetime.date(1960 + r % 40, 1 + r % 12, 1 + r % 28), date_format)
            elif c % 4 == 2:
                sheet.write_number(r, c, r * 10 + c)
            else:
                sheet.write_string(r, c, f"专家{r}的第{c}项")
    workbook.close()


def build_at_limit(path: Path) -> None:
    """200,000 rows of one number each: the most rows a sheet may have with the default limit."""
    path.write_bytes(minimal_xlsx(sheet_xml(200_000, dimension="A1:A200000")))


def build_million(path: Path) -> None:
    path.write_bytes(minimal_xlsx(sheet_xml(1_000_000, dimension="A1:A1000000")))


def measure(path: Path) -> None:
    """Time one read with its peak resident memory, then read again under tracemalloc (which slows Python code
    several times over) for the peak of Python's own allocations."""
    data = path.read_bytes()
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    outcome = read(data, path.name)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # calamine's process (reading._isolated)
    tracemalloc.start()
    read(data, path.name)
    python_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"{path.name}: {len(data) / 1e6:.2f} MB file, {elapsed:.3f} s, process peak RSS {peak / 1024:.0f} MB "
          f"(+{(peak - baseline) / 1024:.0f} MB while reading), reader child's peak RSS {child_peak / 1024:.0f} MB, "
          f"Python peak {python_peak / 1e6:.1f} MB (tracemalloc); "
          f"{outcome}")


def read(data: bytes, name: str) -> str:
    try:
        sheets = read_upload(io.BytesIO(data), filename=name)
    except RefusedFile as refused:
        return f"refused: {refused.message}"
    return f"read {sum(len(s.rows) for s in sheets):,} rows"


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--measure":
        measure(Path(sys.argv[2]))
        return
    with tempfile.TemporaryDirectory() as folder:
        cases = [(Path(folder) / "experts-10000x20.xlsx", build_wide),
                 (Path(folder) / "rows-200000x1.xlsx", build_at_limit),
                 (Path(folder) / "million-rows.xlsx", build_million)]
        for path, build in cases:
            started = time.perf_counter()
            build(path)
            print(f"built {path.name} in {time.perf_counter() - started:.1f} s")
            subprocess.run([sys.executable, __file__, "--measure", str(path)], check=True)


if __name__ == "__main__":
    main()
