"""Bytes to article text, for files, standard input and fetched pages alike.

UTF-16/32 with a byte-order mark; UTF-16 without one (recognised by where its zero bytes fall); else
UTF-8 (a BOM stripped), else Windows-1252. Compressed or binary data (gzip, zip, PDF, images, or
many control characters) is refused with an `InputError` that names it and the fix.
"""

from __future__ import annotations

import codecs
import logging
import re

from summarizer.errors import InputError

log = logging.getLogger(__name__)

# UTF-32 marks first: the UTF-32-LE mark starts with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_BINARY_SAMPLE = 8192
_BINARY_RATIO = 0.3  # more control characters than this and it is not an article

MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"BZh", "bzip2-compressed data"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed data"),
    (b"PK\x03\x04", "a zip archive (or a .docx/.odt document)"),
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x7fELF", "a program"),
)
"""Leading bytes of formats that are never an article (what `file` would say)."""

BINARY = "looks binary; give a .txt or .md article"


def decode_bytes(raw: bytes, name: str, charset: str | None = None) -> str:
    """The text of `raw` (`charset`, when a server declared one, is tried first); `name` is for errors."""
    if not raw:
        raise InputError(name, "is empty; give a .txt or .md article")
    for magic, what in MAGIC:
        if raw.startswith(magic):
            raise InputError(name, f"{BINARY} (it is {what})")
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return check_text(_decode_marked(raw, encoding, name), name)
    if b"\x00" in raw:
        utf16 = utf16_without_bom(raw)
        if utf16 is None:
            raise InputError(name, BINARY)  # checked before decoding: binary rarely decodes cleanly
        try:
            return check_text(raw.decode(utf16), name)
        except UnicodeDecodeError:
            raise InputError(name, BINARY) from None
    if charset:
        try:
            return check_text(raw.decode(charset), name)
        except (LookupError, UnicodeDecodeError):
            log.info("%s: not %s as declared; guessing", name, charset)
    try:
        return check_text(raw.decode("utf-8-sig"), name)
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        bad = raw[utf8_error.start]
        raise InputError(
            name,
            f"is not UTF-8 (byte 0x{bad:02x} at offset {utf8_error.start}) nor Windows-1252; "
            f"convert it to UTF-8, e.g. iconv -f ENCODING -t UTF-8 {name} > article.txt",
        ) from None
    log.info("%s: not UTF-8, decoded as Windows-1252", name)
    return check_text(text, name)


def utf16_without_bom(raw: bytes) -> str | None:
    """`utf-16-le` or `utf-16-be` when the zero bytes of `raw` fall on one side of the 16-bit units
    (the high byte of Latin, Cyrillic, Greek… spaces and punctuation), as they do in UTF-16 text and
    do not in binary data; else None."""
    sample = raw[: _BINARY_SAMPLE * 2]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    units = len(sample) // 2
    if odd >= 0.2 * units and even <= 0.01 * units:
        return "utf-16-le"
    if even >= 0.2 * units and odd <= 0.01 * units:
        return "utf-16-be"
    return None


def _decode_marked(raw: bytes, encoding: str, name: str) -> str:
    try:
        return raw.decode(encoding)  # the codec strips the byte-order mark
    except UnicodeDecodeError as exc:
        raise InputError(
            name,
            f"starts with a {encoding.upper()} byte-order mark but is not valid {encoding.upper()} "
            f"({exc.reason} at offset {exc.start}); convert it to UTF-8, "
            f"e.g. iconv -f {encoding.upper()} -t UTF-8 {name} > article.txt",
        ) from None


def check_text(text: str, name: str) -> str:
    """`text`, unless it holds NULs or many control characters (binary decoded as text)."""
    sample = text[:_BINARY_SAMPLE]
    if "\x00" in text or len(_CONTROL_RE.findall(sample)) > _BINARY_RATIO * len(sample):
        raise InputError(name, BINARY)
    return text
