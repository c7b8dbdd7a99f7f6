"""XML from outside (.pvd, .vtm, a .pvtu's summary) is parsed with any document type declaration refused."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest

from pvcore.xmldocs import parse_xml

BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;">]><VTKFile>&lol3;</VTKFile>'
)
EXTERNAL = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]><VTKFile>&secret;</VTKFile>'


def test_a_vtk_file_parses() -> None:
    root = parse_xml('<VTKFile type="Collection"><Collection><DataSet file="a.vtu"/></Collection></VTKFile>', "s.pvd")
    assert root.find("Collection/DataSet").get("file") == "a.vtu"


@pytest.mark.parametrize("text", [BILLION_LAUGHS, EXTERNAL, "<!DOCTYPE VTKFile><VTKFile/>"])
def test_a_document_type_declaration_is_refused_naming_the_file(text: str) -> None:
    with pytest.raises(ElementTree.ParseError, match=r"series\.pvd: a document type declaration"):
        parse_xml(text, "series.pvd")


def test_malformed_xml_is_a_parse_error() -> None:
    with pytest.raises(ElementTree.ParseError):
        parse_xml("<VTKFile><Collection></VTKFile>", "broken.pvd")
