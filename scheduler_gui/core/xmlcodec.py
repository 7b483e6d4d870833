"""Generic XML <-> JSON-shaped objects, the way LearningStudio maps its formats.

The XML root element is the JSON top-level key (``<itemSchedules>``); a JSON array
repeats the singular element inside its plural parent (``<links><link>..</link></links>``).
XML has no types, so leaves come back as strings; the domain layer converts the fields
it models and keeps the others verbatim, so a round trip in either format loses nothing.
Parsing goes through ``defusedxml``: entity expansion and external entities are refused.

What XML cannot say, and how we read it back (documented limitations):
- every leaf is text: numbers and booleans in unknown fields come back as strings;
- an empty element is an empty list when its name looks plural (``links``; not ``status``,
  ``class``, ``analysis``), else an empty string; ``null`` fields are left out;
- one child named as the singular of its parent (``<links><link>``) is a one-item list;
- characters XML 1.0 cannot carry (most control characters, lone surrogates) and keys
  that are not simple element names are refused when writing, never written broken.
"""

from __future__ import annotations

import re
from typing import Any
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

MAX_XML_BYTES = 64 * 1024 * 1024
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9._-]*", re.ASCII)
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})


class XmlFormatError(ValueError):
    """A body that is not well-formed, safe XML of the expected shape."""


def singular(name: str) -> str:
    """The element name used for each entry of the array ``name``."""
    if name.endswith("ies") and len(name) > 3:
        return name[:-3] + "y"
    if name.endswith("s") and len(name) > 1:
        return name[:-1]
    return name + "Item"


def looks_plural(name: str) -> bool:
    """Whether an empty ``<name/>`` stands for an empty list (``links``, not ``status``)."""
    return name.endswith("s") and not name.endswith(("ss", "us", "is")) and len(name) > 1


def _to_obj(element: Element) -> Any:
    children = list(element)
    if not children:
        text = element.text or ""
        if not text.strip() and looks_plural(element.tag) and not element.attrib:
            return []
        return text
    tags = {child.tag for child in children}
    if len(tags) == 1 and (len(children) > 1 or children[0].tag == singular(element.tag)):
        return [_to_obj(child) for child in children]
    result: dict[str, Any] = {}
    for child in children:
        if child.tag in result:
            raise XmlFormatError(f"element <{child.tag}> repeats inside <{element.tag}>")
        result[child.tag] = _to_obj(child)
    return result


def loads(data: bytes | str) -> dict[str, Any]:
    """Parse an XML body into ``{root_tag: value}``."""
    if len(data) > MAX_XML_BYTES:
        raise XmlFormatError(f"XML body larger than {MAX_XML_BYTES // (1024 * 1024)} MB")
    try:
        root = SafeET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise XmlFormatError(
            f"XML with a DTD or entity declarations is refused ({type(exc).__name__}): "
            "such XML can read local files or expand to gigabytes"
        ) from None
    except SafeET.ParseError as exc:
        raise XmlFormatError(f"not well-formed XML: {exc}") from None
    except (ValueError, LookupError) as exc:  # e.g. an unknown encoding declaration
        raise XmlFormatError(f"unreadable XML: {exc}") from None
    try:
        return {root.tag: _to_obj(root)}
    except RecursionError:
        raise XmlFormatError("XML nested too deeply") from None


def _text(value: Any, where: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    bad = _NOT_XML_CHAR.search(text)
    if bad:
        raise XmlFormatError(
            f"<{where}> contains character U+{ord(bad.group()):04X}, which XML cannot carry; "
            "save as JSON instead"
        )
    return text.translate(_ESCAPES)


def _write(out: list[str], tag: str, value: Any) -> None:
    if not _NAME.fullmatch(tag):
        raise XmlFormatError(f"{tag[:40]!r} cannot be an XML element name; save as JSON instead")
    if isinstance(value, dict):
        out.append(f"<{tag}>")
        for key, child in value.items():
            if child is not None:
                _write(out, str(key), child)
        out.append(f"</{tag}>")
    elif isinstance(value, list):
        name = singular(tag)
        out.append(f"<{tag}>")
        for entry in value:
            _write(out, name, "" if entry is None else entry)
        out.append(f"</{tag}>")
    else:
        text = _text(value, tag)
        out.append(f"<{tag}>{text}</{tag}>" if text else f"<{tag}/>")


def dumps(document: dict[str, Any]) -> bytes:
    """Serialize ``{root_tag: value}`` as an XML document (UTF-8, with declaration).

    Raises:
        XmlFormatError: a key or text XML cannot represent (nothing is written).
    """
    if len(document) != 1:
        raise XmlFormatError("an XML document needs exactly one top-level key")
    ((tag, value),) = document.items()
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n']
    try:
        _write(out, tag, value)
    except RecursionError:
        raise XmlFormatError("data nested too deeply for XML") from None
    return "".join(out).encode("utf-8")
