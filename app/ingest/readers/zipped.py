"""Zipped formats (.docx): measured before they are parsed, so a zip bomb is refused, not expanded.

A 232 KB .docx once expanded to 1.3 GB in python-docx. Before any parser sees a zipped file,
every compressed member is decompressed here into nothing, a block at a time, counting the bytes
(the sizes a zip declares can lie), and the file is refused with the limit it broke: all members
together over MAX_UNZIPPED_BYTES, or its XML (what the parser holds in memory, about five times
over) over MAX_UNZIPPED_XML_BYTES. Stored members cannot expand: their stored size is their size.
"""

from __future__ import annotations

import io
import zipfile

from app.ingest.report import LoadError, over_limit
from app.limits import MAX_UNZIPPED_BYTES, MAX_UNZIPPED_XML_BYTES

BLOCK = 1 << 20


class BrokenZip(LoadError):
    """Not a zip, or a member that does not decompress: the format's reader says "corrupt"."""


def check_unzipped_size(
    data: bytes, max_total: int = MAX_UNZIPPED_BYTES, max_xml: int = MAX_UNZIPPED_XML_BYTES
) -> None:
    """Raise LoadError naming the limit when the members decompress to more than it; BrokenZip
    when the data is no zip or a member does not decompress."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise BrokenZip(f"not a valid zip container: {exc}") from exc
    total = xml = 0
    with archive:
        for member in archive.infolist():
            if member.is_dir():
                continue
            xml_member = member.filename.lower().endswith((".xml", ".rels"))
            if member.compress_type == zipfile.ZIP_STORED:
                size = member.compress_size
            else:
                size = _expanded_size(archive, member, max_total - total + 1)
            total += size
            xml += size if xml_member else 0
            if total > max_total:
                raise over_limit("expands too much when unzipped", total, max_total, "bytes")
            if xml > max_xml:
                raise over_limit("too much XML when unzipped", xml, max_xml, "bytes")


def _expanded_size(archive: zipfile.ZipFile, member: zipfile.ZipInfo, budget: int) -> int:
    """Bytes a member decompresses to, counted up to `budget` (then the count is over the limit)."""
    size = 0
    try:
        with archive.open(member) as stream:
            while size < budget and (block := stream.read(BLOCK)):
                size += len(block)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, ValueError) as exc:
        raise BrokenZip(f"zip member {member.filename}: {type(exc).__name__}: {exc}") from exc
    return size
