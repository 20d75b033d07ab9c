"""PDF time against text length and row count (issue 25): the largest demo report (Sóc Trăng
2021) with one unbreakable word of N characters put into an indicator's note, a table cell or a
narrative section, and with one of its tables grown to N rows. With `overflow-wrap` on every
printed text the time grows linearly; before, a long word cost quadratic time.

The document is built once from the database and changed in memory, so only the render is timed.
Needs the demo in a database, as benchmarks/bench_pdf.py says:
    export DEBUG=1 DEMO_MODE=1 DATABASE_URL=sqlite:////tmp/pdf-bench.sqlite3
    .venv/bin/python manage.py migrate -v0 && .venv/bin/python manage.py load_demo
    .venv/bin/python benchmarks/bench_pdf_text.py [--runs 3] [--lengths 1000,4000,16000,30000]
"""

import argparse
import dataclasses
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc_portal.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from bench_pdf import largest_report, timed  # noqa: E402

from documents.document import build_document  # noqa: E402
from documents.pdf import document_pdf  # noqa: E402


def _replace_cell(document, kind: str, text: str):
    """The document with the last cell of the first value row of the first `kind` table."""
    appendices = list(document.appendices)
    for index, appendix in enumerate(appendices):
        table = appendix.table
        if table.kind != kind:
            continue
        rows = list(table.rows)
        at = next(i for i, row in enumerate(rows) if row.kind == "value")
        cells = list(rows[at].cells)
        column = len(cells) - 1 if kind == "indicators" else 1  # the note; a table's name column
        cells[column] = dataclasses.replace(cells[column], text=text)
        rows[at] = dataclasses.replace(rows[at], cells=tuple(cells))
        appendices[index] = dataclasses.replace(
            appendix, table=dataclasses.replace(table, rows=tuple(rows))
        )
        return dataclasses.replace(document, appendices=tuple(appendices))
    raise LookupError(kind)


def with_note(document, text):
    return _replace_cell(document, "indicators", text)


def with_cell(document, text):
    return _replace_cell(document, "table", text)


def with_section(document, text):
    sections = list(document.sections)
    sections[0] = dataclasses.replace(sections[0], html=f"<p>{text}</p>")
    return dataclasses.replace(document, sections=tuple(sections))


def with_rows(document, count: int):
    appendices = list(document.appendices)
    index = next(i for i, a in enumerate(appendices) if a.table.kind == "table")
    table = appendices[index].table
    body = [row for row in table.rows if row.kind == "value"]
    rows = tuple(body[i % len(body)] for i in range(count))
    appendices[index] = dataclasses.replace(
        appendices[index], table=dataclasses.replace(table, rows=rows)
    )
    return dataclasses.replace(document, appendices=tuple(appendices))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--lengths", default="1000,4000,16000,30000")
    parser.add_argument("--rows", default="50,200,500,1000")
    args = parser.parse_args()
    document = build_document(largest_report())
    document_pdf(document)  # warm: imports, fonts
    (base_wall, base), _ = timed(lambda: document_pdf(document), args.runs)
    print(f"load average {' / '.join(f'{x:.2f}' for x in os.getloadavg())}; median of {args.runs}")
    print(f"  the report as it is: {base_wall * 1000:6.0f} ms wall {base * 1000:6.0f} ms CPU")
    for label, change in (
        ("word in a note", with_note),
        ("word in a table cell", with_cell),
        ("word in a section", with_section),
        ("words in a section", None),
    ):
        for length in map(int, args.lengths.split(",")):
            if change is None:  # ordinary prose: words of 7 characters
                changed = with_section(document, ("chữ cái " * (length // 8 + 1))[:length])
            else:
                changed = change(document, "x" * length)
            (wall, cpu), _ = timed(lambda d=changed: document_pdf(d), args.runs)
            extra = (cpu - base) * 1000  # CPU: the steadier figure on a shared machine
            print(
                f"  {label:<22} {length:>6} chars: {wall * 1000:6.0f} ms wall "
                f"{cpu * 1000:6.0f} ms CPU (+{extra:5.0f} ms CPU, {extra / length * 1000:5.1f} ms "
                "per 1,000 chars)"
            )
    for count in map(int, args.rows.split(",")):
        changed = with_rows(document, count)
        (wall, cpu), _ = timed(lambda d=changed: document_pdf(d), args.runs)
        print(f"  table of {count:>5} rows: {wall * 1000:6.0f} ms wall {cpu * 1000:6.0f} ms CPU")


if __name__ == "__main__":
    main()
