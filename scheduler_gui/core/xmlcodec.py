"""Generic XML <-> JSON-shaped objects, the way LearningStudio maps its formats.

The XML root element is the JSON top-level key (``<itemSchedules>``); a JSON array
repeats the singular element inside its plural parent (``<links><link>..</link></links>``).
XML has no types, so leaves come back as strings; the domain layer converts the fields
it models and keeps the others verbatim, so a round trip in either format loses nothing.
Parsing goes through ``defusedxml``: entity expansion and external entities are refused.
"""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

MAX_XML_BYTES = 64 * 1024 * 1024


class XmlFormatError(ValueError):
    """A body that is not well-formed, safe XML of the expected shape."""


def singular(name: str) -> str:
    """The element name used for each entry of the array ``name``."""
    if name.endswith("ies") and len(name) > 3:
        return name[:-3] + "y"
    if name.endswith("s") and len(name) > 1:
        return name[:-1]
    return name + "Item"


def _to_obj(element: Element) -> Any:
    children = list(element)
    if not children:
        text = element.text or ""
        if not text.strip() and element.tag.endswith("s") and not element.attrib:
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
        raise XmlFormatError(f"unsafe XML refused ({type(exc).__name__})") from None
    except SafeET.ParseError as exc:
        raise XmlFormatError(f"not well-formed XML: {exc}") from None
    return {root.tag: _to_obj(root)}


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fill(element: Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            if child is None:
                continue
            _fill(SubElement(element, key), child)
    elif isinstance(value, list):
        name = singular(element.tag)
        for entry in value:
            _fill(SubElement(element, name), entry)
    else:
        element.text = _text(value)


def dumps(document: dict[str, Any]) -> bytes:
    """Serialize ``{root_tag: value}`` as an XML document (UTF-8, with declaration)."""
    if len(document) != 1:
        raise XmlFormatError("an XML document needs exactly one top-level key")
    ((tag, value),) = document.items()
    root = Element(tag)
    _fill(root, value)
    data: bytes = tostring(root, encoding="utf-8", xml_declaration=True)
    return data
