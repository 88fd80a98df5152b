"""Word documents (.docx) through python-docx: paragraphs and tables kept in place.

The zip is measured first (readers/zipped.py): a zip bomb is refused before python-docx expands it.
"""

from __future__ import annotations

import io
from typing import Any

from app.ingest.readers.base import ReadText
from app.ingest.readers.zipped import BrokenZip, check_unzipped_size
from app.ingest.report import LoadError


def read_docx(data: bytes, warnings: list[str]) -> ReadText:
    """Paragraphs and tables in document order; a table row becomes "cell | cell"."""
    try:
        check_unzipped_size(data)  # a limit broken: LoadError naming it
    except BrokenZip as exc:
        raise LoadError(f"corrupt or unreadable DOCX: {exc.reason}") from exc
    try:
        import docx
        from docx.table import Table

        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                lines += _table_rows(block)
            else:
                lines.append(block.text.strip())
    except Exception as exc:
        raise LoadError(f"corrupt or unreadable DOCX: {type(exc).__name__}: {exc}") from exc
    return ReadText("\n".join(line for line in lines if line))


def _table_rows(table: Any) -> list[str]:
    rows = []
    for row in table.rows:
        cells: list[str] = []
        last = None
        for cell in row.cells:
            if cell._tc is last:  # a merged cell repeats: show it once
                continue
            last = cell._tc
            cells.append(" ".join(cell.text.split()))
        if any(cells):
            rows.append(" | ".join(cells))
    return rows
