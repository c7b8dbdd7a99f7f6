"""Property objects: ``proxy.GetProperty("Radius")``, as ParaView's ``servermanager`` property classes.

A property object is a live view of one property of one proxy: it reads the proxy's current value each time.
``SetData``, item assignment, ``append`` and ``Clear`` send the change at once (as ParaView's Python layer does);
``SetElement``, ``SetNumberOfElements`` and ``ResetToDefault`` are ParaView's C++-level calls: they stage the
value on the client, where reading the proxy sees it, and ``proxy.UpdateProperty(name)`` or
``proxy.UpdateVTKObjects()`` (or any later change of that proxy) sends it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from pvcore.errors import PropertyError, PVError
from pvcore.schema import Property as PropertySpec
from pvcore.values import coerce

if TYPE_CHECKING:
    from pvclient.proxy import Proxy


class NotSupportedException(PVError):
    """A ParaView name or call that this project does not offer; the message says what to use instead.

    ``msg`` holds the message, as on ParaView's exception of this name."""

    @property
    def msg(self) -> str:
        return self.message


class Property:
    """One property of a proxy: ``GetData()``/``SetData()``, ``len()``, indexing and iteration over its elements."""

    def __init__(self, proxy: Proxy, spec: PropertySpec) -> None:
        self.Proxy = proxy
        self._spec = spec

    # ----------------------------------------------------------------------------------- description

    @property
    def Name(self) -> str:
        return self._spec.name

    @property
    def SMProperty(self) -> Property:
        """This object: it also answers the C++ vtkSMProperty calls scripts make (SetElement, ResetToDefault)."""
        return self

    def GetXMLName(self) -> str:
        return self._spec.name

    def GetXMLLabel(self) -> str:
        return self._spec.name

    def GetDocumentation(self) -> str:
        return self._spec.doc

    def GetRepeatable(self) -> bool:
        """True for a list of any length."""
        return self._spec.count is None

    def GetInformationOnly(self) -> bool:
        """True for a value the server computes (read only)."""
        return self._spec.read_only

    # ----------------------------------------------------------------------------------- elements

    def _elements(self) -> list[Any]:
        return list(self.Proxy._wire(self._spec))

    def GetNumberOfElements(self) -> int:
        return len(self._elements())

    def __len__(self) -> int:
        return self.GetNumberOfElements()

    def GetElement(self, index: int) -> Any:
        """Element ``index`` of the value (as the proxy holds it now, staged changes included)."""
        return self._elements()[index]

    def __getitem__(self, index: int | slice) -> Any:
        elements = [self.GetElement(i) for i in range(len(self))]
        return elements[index]

    def __iter__(self) -> Iterator[Any]:
        return iter(self[:])

    def GetData(self) -> Any:
        """The value: one element as itself, several (or a list property) as a list; None when empty."""
        elements = self[:]
        if self._spec.count is None or len(elements) > 1:
            return elements
        return elements[0] if elements else None

    def SetData(self, values: Any) -> None:
        """Set the whole value and send it."""
        if self._spec.read_only:
            raise PropertyError(f"{self._spec.name} is computed by the server and cannot be set.", property=self.Name)
        self.Proxy._set({self._spec.name: values})

    def __setitem__(self, index: int | slice, value: Any) -> None:
        elements = self[:]
        if isinstance(index, slice):
            elements[index] = list(value)
        else:
            if not -len(elements) <= index < len(elements):
                raise IndexError(f"{self.Name} has {len(elements)} element(s); index {index} is outside.")
            elements[index] = value
        self.SetData(elements)

    def Clear(self) -> None:
        """Remove every element (a list property) and send it."""
        self.SetData([])

    def __eq__(self, other: object) -> bool:
        mine = self.GetData()
        return mine == (other.GetData() if isinstance(other, Property) else other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(self.GetData())

    # ----------------------------------------------------------------------------------- staged (C++-level) calls

    def SetElement(self, index: int, value: Any) -> int:
        """Stage element ``index`` (a list property grows to hold it); sent by ``proxy.UpdateProperty(name)``."""
        elements = list(self.Proxy._wire(self._spec))
        if self._spec.count is None and index >= len(elements):
            elements.extend([value] * (index + 1 - len(elements)))
        if not 0 <= index < len(elements):
            raise IndexError(f"{self.Name} has {len(elements)} element(s); index {index} is outside.")
        elements[index] = value
        self.Proxy._stage(self._spec, coerce(self._spec, elements))
        return 1

    def SetNumberOfElements(self, count: int) -> None:
        """Stage a new length for a list property (padded with zeros, or cut)."""
        if self._spec.count is not None and count != self._spec.count:
            raise PropertyError(f"{self.Name} always has {self._spec.count} element(s).", property=self.Name)
        elements = list(self.Proxy._wire(self._spec))[:count]
        pad = "" if self._spec.kind == "string" else 0
        self.Proxy._stage(self._spec, coerce(self._spec, elements + [pad] * (count - len(elements))))

    def ResetToDefault(self) -> None:
        """Stage ParaView's default: the one its domain computes from the input's data, else the definition's."""
        self.Proxy._stage(self._spec, self.Proxy._default_of(self._spec))


class VectorProperty(Property):
    """Numbers or strings."""


class EnumerationProperty(VectorProperty):
    """One of some labels: ``Available`` lists them; ``SMProperty.GetElement(0)`` gives ParaView's number."""

    def GetAvailable(self) -> list[str]:
        return list(self._spec.values)

    @property
    def SMProperty(self) -> _EnumerationNumbers:
        """The C++ vtkSMIntVectorProperty's view of it: elements are ParaView's numbers, not labels."""
        return _EnumerationNumbers(self)

    Available = property(GetAvailable, doc="The labels this property accepts.")


class _EnumerationNumbers:
    """An enumeration property as its C++ vtkSMIntVectorProperty: GetElement/SetElement in numbers."""

    def __init__(self, prop: EnumerationProperty) -> None:
        self._prop = prop
        spec = prop._spec
        self._numbers = dict(zip(spec.values, spec.numbers or range(len(spec.values)), strict=True))

    def GetNumberOfElements(self) -> int:
        return self._prop.GetNumberOfElements()

    def GetElement(self, index: int) -> int:
        return self._numbers[self._prop.GetElement(index)]

    def SetElement(self, index: int, number: int) -> None:
        labels = {n: label for label, n in self._numbers.items()}
        if number not in labels:
            raise PropertyError(
                f"{self._prop.Name} has no value numbered {number}: {self._prop._spec.domain_text()}.",
                property=self._prop.Name,
            )
        self._prop.SetElement(index, labels[number])

    def __getattr__(self, name: str) -> Any:
        return getattr(self._prop, name)


class ArraySelectionProperty(VectorProperty):
    """An array selection: element 0 the association (POINTS, CELLS, FIELD), element 1 the array's name."""

    def GetAssociation(self) -> str | None:
        """The association, or None while no array is selected (as ParaView answers)."""
        association, name = self._elements()
        return association if name else None

    def GetArrayName(self) -> str:
        return self._elements()[1]

    def GetElement(self, index: int) -> Any:
        return (self.GetAssociation(), self.GetArrayName())[index]

    def GetData(self) -> list[Any]:
        return self[:]

    def __setitem__(self, index: int | slice, value: Any) -> None:
        raise PropertyError(f"Set {self.Name} as a whole: SetData(['POINTS', name]).", property=self.Name)


class ProxyProperty(Property):
    """References to proxies (a helper such as a Clip's ClipType, a view's representations): ``append``,
    ``remove``, and for a helper ``Available``, the types it may be set to by name."""

    def GetElement(self, index: int) -> Any:
        return self.Proxy._connection.proxy(int(self._elements()[index]))

    def GetAvailable(self) -> list[str]:
        return list(self._spec.values) if self._spec.kind == "subproxy" else []

    Available = property(GetAvailable, doc="For a helper: the types it may be set to by name.")

    def GetData(self) -> Any:
        elements = self[:]
        if self._spec.count is None:
            return elements
        return elements[0] if elements else None

    def append(self, proxy: Proxy) -> None:
        """Add a proxy to a list of references and send it."""
        self.SetData([*self[:], proxy])

    def remove(self, proxy: Proxy) -> None:
        """Remove the first reference to ``proxy`` and send it."""
        items = self[:]
        items.remove(proxy)
        self.SetData(items)

    def index(self, proxy: Proxy) -> int:
        return self[:].index(proxy)

    def SetElement(self, index: int, value: Any) -> int:
        items = self[:]
        items[index] = value
        self.SetData(items)
        return 1

    def ResetToDefault(self) -> None:
        """A helper goes back to its first type; references are left as they are (a pipeline is not undone)."""
        if self._spec.kind == "subproxy":
            self.SetData(self._spec.subproxy_default)


class InputProperty(ProxyProperty):
    """The input of a filter."""


def property_object(proxy: Proxy, spec: PropertySpec) -> Property:
    """The property object of ``spec`` on ``proxy``, of the class ParaView uses for such a property."""
    if spec.is_input:
        return InputProperty(proxy, spec)
    if spec.kind in ("proxy", "subproxy"):
        return ProxyProperty(proxy, spec)
    if spec.kind == "enum":
        return EnumerationProperty(proxy, spec)
    if spec.kind == "array":
        return ArraySelectionProperty(proxy, spec)
    return VectorProperty(proxy, spec)


__all__ = [
    "ArraySelectionProperty",
    "EnumerationProperty",
    "InputProperty",
    "NotSupportedException",
    "Property",
    "ProxyProperty",
    "VectorProperty",
    "property_object",
]
