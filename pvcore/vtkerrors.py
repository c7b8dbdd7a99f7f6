"""The errors a VTK object reports, collected as text instead of printed (no VTK import here: any object with
``AddObserver`` will do)."""

from __future__ import annotations

import re
from typing import Any


def errors_reported_by(reader: Any) -> list[str]:
    """The errors ``reader`` reports from now on (a list that fills up), instead of VTK printing them."""
    complaints: list[str] = []

    def on_error(_obj: Any, _event: str, text: str) -> None:
        lines = [line for line in text.strip().splitlines() if line and not line.startswith("ERROR: In")]
        complaints.append(re.sub(r"^vtk\w+ \(0x[0-9a-f]+\): ", "", " ".join(lines)).strip())

    on_error.CallDataType = "string0"  # VTK passes the message text
    reader.AddObserver("ErrorEvent", on_error)
    return complaints
