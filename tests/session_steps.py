"""Steps of the pure session logic, taken the way the service takes them: plan a change, then commit it.

Shared by tests/unit/test_session*.py; no network, no MPI, no VTK.
"""

from __future__ import annotations

from pvcore.messages import ArrayInformation, DataInformation, ProxyState
from pvserver.session import Session


def create(session: Session, type_name: str, group: str = "sources", name: str = "", info=None, **props) -> ProxyState:
    """Plan and commit a creation, as the service does after the ranks applied it; returns the new state."""
    delta = session.plan_create(group, type_name, props, name, info)
    session.commit(delta)
    return session.state(delta.states[-1].global_id)


def filt(session: Session, type_name: str, source: ProxyState, info=None, **props) -> ProxyState:
    return create(session, type_name, "filters", Input=(source.global_id,), info=info, **props)


def update(session: Session, proxy: ProxyState, name: str = "", info=None, **props) -> ProxyState:
    session.commit(session.plan_update(proxy.global_id, props, name, info))
    return session.state(proxy.global_id)


def delete(session: Session, proxy: ProxyState) -> None:
    session.commit(session.plan_delete(proxy.global_id))


def image_info(bounds=(0.0, 4.0, -2.0, 2.0, 10.0, 20.0)) -> DataInformation:
    """Data information like a Wavelet's: a 1-component point array RTData, a 3-component one first."""
    return DataInformation(
        data_type="vtkImageData",
        number_of_points=10,
        number_of_cells=4,
        bounds=list(bounds),
        point_arrays=[
            ArrayInformation("Normals", 3, [-1, 1, -1, 1, -1, 1, 0, 1]),
            ArrayInformation("RTData", 1, [40.0, 260.0]),
        ],
        cell_arrays=[ArrayInformation("CellId", 1, [0.0, 3.0])],
    )
