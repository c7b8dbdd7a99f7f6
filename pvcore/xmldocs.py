"""Parsing XML that comes from outside (a ``.pvd`` or ``.vtm`` file under the data directory, a ``.pvtu``'s
summary): the standard library's parser, with any document type declaration refused.

A DTD is the door to entity expansion (a "billion laughs" file) and to external entities naming other files;
VTK's and ParaView's files never have one. Errors are ``ElementTree.ParseError``, as for malformed XML.
"""

from __future__ import annotations

from xml.etree import ElementTree


class _Refusing(ElementTree.TreeBuilder):
    """The tree builder, which the parser tells of a document type declaration before any entity is used."""

    def __init__(self, where: str) -> None:
        super().__init__()
        self.where = where

    def doctype(self, *_args: object) -> None:
        raise ElementTree.ParseError(f"{self.where}: a document type declaration (<!DOCTYPE ...>) is not accepted.")


def parse_xml(text: str | bytes, where: str) -> ElementTree.Element:
    """The root element of ``text``; ParseError, naming ``where``, for malformed XML or a DTD."""
    parser = ElementTree.XMLParser(target=_Refusing(where))
    parser.feed(text)
    return parser.close()
