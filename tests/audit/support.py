"""Test helpers: edit cells of an .xlsx in place, and make the corpus of hostile uploads.

Run as a script to write the corpus to a directory: python -m tests.audit.support DIR
"""

from __future__ import annotations

import re
import struct
import sys
import zipfile
import zlib
from io import BytesIO
from pathlib import Path

from service.audit.errors import (
    AuditError,
    CorruptWorkbook,
    RejectedWorkbook,
    UnsupportedWorkbook,
    WorkbookTooLarge,
)

SPEC = Path("formulas_spec")
# Every served model: the tests of export and audit that name no cell run on each.
MODEL_IDS = sorted(p.stem for p in SPEC.glob("*.xlsx") if not p.name.startswith("~$"))
# The model whose cells the other tests edit by address.
REFERENCE_MODEL = "mkba-1gezin1plan"
REFERENCE = SPEC / f"{REFERENCE_MODEL}.xlsx"
SHEET_PARTS = {  # sheet name -> part, as in the reference workbook
    "Cockpit": "xl/worksheets/sheet1.xml",
    "Gemeente": "xl/worksheets/sheet2.xml",
    "Kengetallen": "xl/worksheets/sheet3.xml",
    "Berekening": "xl/worksheets/sheet4.xml",
    "Verdeling": "xl/worksheets/sheet5.xml",
    "Interface": "xl/worksheets/sheet6.xml",
}


def rezip(data: bytes, replace: dict[str, bytes | None], filename_order: bool = True) -> bytes:
    """Copy a ZIP package, replacing (bytes), dropping (None) or adding entries."""
    src = zipfile.ZipFile(BytesIO(data))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in replace:
                new = replace[info.filename]
                if new is not None:
                    dst.writestr(info.filename, new)
            else:
                dst.writestr(info, src.read(info))
        for name, new in replace.items():
            if name not in src.namelist() and new is not None:
                dst.writestr(name, new)
    return out.getvalue()


def set_cells(
    data: bytes,
    values: dict[str, float | str] | None = None,
    formulas: dict[str, str] | None = None,
) -> bytes:
    """Edit cells without recalculating: typed values, or formulas (keeping the cached value)."""
    by_part: dict[str, dict[str, bytes]] = {}
    for key, v in (values or {}).items():
        sheet, coord = key.split("!")
        if isinstance(v, str):
            body = b't="inlineStr"><is><t>' + v.encode() + b"</t></is>"
        else:
            body = b't="n"><v>' + repr(float(v)).encode() + b"</v>"
        by_part.setdefault(SHEET_PARTS[sheet], {})[coord] = body
    src = zipfile.ZipFile(BytesIO(data))
    for key, f in (formulas or {}).items():
        sheet, coord = key.split("!")
        part = SHEET_PARTS[sheet]
        old = re.search(
            rb'<c r="' + coord.encode() + rb'"[^>]*>(?:<f[^>]*>.*?</f>)?(<v>.*?</v>)?</c>',
            src.read(part),
        )
        cached = old.group(1) if old and old.group(1) else b""
        escaped = f.lstrip("=").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        by_part.setdefault(part, {})[coord] = b't="n"><f>' + escaped.encode() + b"</f>" + cached
    replace: dict[str, bytes | None] = {}
    for part, cells in by_part.items():
        xml = src.read(part)
        for coord, body in cells.items():
            pattern = rb'<c r="' + coord.encode() + rb'"( s="\d+")?[^>]*?(/>|>.*?</c>)'
            new, n = re.subn(
                pattern,
                lambda m, b=body, c=coord: (
                    b'<c r="%s"%s %s</c>' % (c.encode(), m.group(1) or b"", b)
                ),
                xml,
                count=1,
                flags=re.DOTALL,
            )
            assert n == 1, f"{coord} not found in {part}"
            xml = new
        replace[part] = xml
    return rezip(data, replace)


# ------------------------------------------------------------------ hostile corpus


def _minimal_xlsx(sheet_xml: bytes) -> bytes:
    """A one-sheet .xlsx around the given worksheet XML."""
    ct = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
        b'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        b'spreadsheetml.worksheet+xml"/></Types>'
    )
    rels = (
        b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        b'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        b'Target="xl/workbook.xml"/></Relationships>'
    )
    book = (
        b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats'
        b'.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships"><sheets><sheet name="Blad1" sheetId="1" '
        b'r:id="rId1"/></sheets></workbook>'
    )
    book_rels = (
        b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        b'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        b'Target="worksheets/sheet1.xml"/></Relationships>'
    )
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", ct)
        z.writestr("_rels/.rels", rels)
        z.writestr("xl/workbook.xml", book)
        z.writestr("xl/_rels/workbook.xml.rels", book_rels)
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return out.getvalue()


def _cfb_container() -> bytes:
    """An OLE compound file header as Excel writes around an encrypted workbook."""
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<I", header, 44, 1)  # one FAT sector
    struct.pack_into("<I", header, 48, 1)  # directory starts at sector 1
    struct.pack_into("<I", header, 56, 4096)
    struct.pack_into("<I", header, 60, 0xFFFFFFFE)
    struct.pack_into("<I", header, 68, 0xFFFFFFFE)
    struct.pack_into("<I", header, 76, 0)
    for i in range(1, 109):
        struct.pack_into("<I", header, 76 + 4 * i, 0xFFFFFFFF)
    directory = "EncryptionInfo".encode("utf-16-le").ljust(64, b"\0")
    return bytes(header) + b"\xff" * 512 + directory.ljust(512, b"\0")


def _zip_bomb(reference: bytes) -> bytes:
    """The reference with one 100 MiB part of zeros (deflates about 1000-fold)."""
    zeros = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = b"\0" * (1 << 20)
    body = b"".join(zeros.compress(chunk) for _ in range(100)) + zeros.flush()
    size = 100 << 20
    crc = 0
    for _ in range(100):
        crc = zlib.crc32(chunk, crc)
    # Write the entry by hand: zipfile would have to hold 100 MiB to compress it.
    src = zipfile.ZipFile(BytesIO(reference))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        info = zipfile.ZipInfo("xl/worksheets/sheet7.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        dst.fp.seek(dst.start_dir)  # type: ignore[union-attr]
        info.header_offset = dst.start_dir
        info.CRC, info.compress_size, info.file_size = crc, len(body), size
        info.flag_bits = 0
        dst.fp.write(info.FileHeader(zip64=False))  # type: ignore[union-attr]
        dst.fp.write(body)  # type: ignore[union-attr]
        dst.start_dir = dst.fp.tell()  # type: ignore[union-attr]
        dst.filelist.append(info)
        dst.NameToInfo[info.filename] = info
    return out.getvalue()


def _entity_bomb(reference: bytes) -> bytes:
    lol = "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    xml = (
        '<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY lol0 "lol">' + lol + "]>"
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
        'uniqueCount="1"><si><t>&lol9;</t></si></sst>'
    )
    return rezip(reference, {"xl/sharedStrings.xml": xml.encode()})


def _million_rows() -> bytes:
    rows = b"".join(
        b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (i, i) for i in range(1, 10**6 + 1)
    )
    sheet = (
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.'
        b'org/spreadsheetml/2006/main"><sheetData>' + rows + b"</sheetData></worksheet>"
    )
    return _minimal_xlsx(sheet)


def _macro(reference: bytes) -> bytes:
    ct = zipfile.ZipFile(BytesIO(reference)).read("[Content_Types].xml")
    ct = ct.replace(
        b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml"
    ).replace(
        b"</Types>",
        b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
    )
    return rezip(reference, {"[Content_Types].xml": ct, "xl/vbaProject.bin": _cfb_container()})


def _external_link(reference: bytes) -> bytes:
    link = (
        b'<?xml version="1.0" encoding="UTF-8"?><externalLink xmlns="http://schemas.'
        b'openxmlformats.org/spreadsheetml/2006/main"><externalBook xmlns:r="http://schemas.'
        b'openxmlformats.org/officeDocument/2006/relationships" r:id="rId1"/></externalLink>'
    )
    rels = (
        b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        b'schemas.openxmlformats.org/officeDocument/2006/relationships/externalLinkPath" '
        b'Target="file:///C:/gemeente/andere.xlsx" TargetMode="External"/></Relationships>'
    )
    return rezip(
        reference,
        {
            "xl/externalLinks/externalLink1.xml": link,
            "xl/externalLinks/_rels/externalLink1.xml.rels": rels,
        },
    )


def hostile_corpus(reference: bytes) -> dict[str, tuple[str, bytes, type[AuditError]]]:
    """name -> (upload file name, bytes, the error class the service must raise)."""
    return {
        "not-a-zip": ("begroting.xlsx", b"Gemeente;Bedrag\nA;1\n" * 50, UnsupportedWorkbook),
        "empty": ("leeg.xlsx", b"", UnsupportedWorkbook),
        "truncated-zip": ("afgebroken.xlsx", reference[: len(reference) // 2], CorruptWorkbook),
        "zip-bomb": ("bom.xlsx", _zip_bomb(reference), WorkbookTooLarge),
        "xml-entity-bomb": ("lol.xlsx", _entity_bomb(reference), RejectedWorkbook),
        "million-rows": ("rijen.xlsx", _million_rows(), WorkbookTooLarge),
        "xlsm": ("macro.xlsm", _macro(reference), UnsupportedWorkbook),
        "macros-named-xlsx": ("macro.xlsx", _macro(reference), UnsupportedWorkbook),
        "password-protected": ("geheim.xlsx", _cfb_container(), UnsupportedWorkbook),
        "external-link": ("gekoppeld.xlsx", _external_link(reference), RejectedWorkbook),
    }


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile")
    target.mkdir(parents=True, exist_ok=True)
    for name, (filename, data, error) in hostile_corpus(REFERENCE.read_bytes()).items():
        path = target / f"{name}{Path(filename).suffix}"
        path.write_bytes(data)
        print(f"{path}\t{len(data)} bytes\t-> {error.__name__} ({error.status})")
