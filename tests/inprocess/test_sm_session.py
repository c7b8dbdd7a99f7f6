"""ParaView's session classes on the built-in session (simple/servermanager_session.py, servermanager_settings.py)
and the proxy manager's registrations (simple/servermanager_registry.py), as ParaView 5.11's own tests
ConnectionProxyNamespaces, MultiServer, TestFetchData, Settings and ProxyManager use them."""

from __future__ import annotations

import pytest
from vtkmodules.vtkFiltersSources import vtkSphereSource

from paraview import servermanager
from pvcore.errors import PVError, UnknownProxyTypeError
from simple.servermanager_session import Session

SETTINGS = """
{
  // Default settings for sources.
  "sources" : {
    // A sphere source
    "SphereSource" : {
      /* New comment
         New comment 2 */
      "Radius" : 2.25, // said after the value: not the next one's description
      // Theta resolution


      // Theta resolution 2
      "ThetaResolution" : 32,
      // Center comment
      "Center" : [1.0, 2.0, 4.0]
    }
  }
}
"""


@pytest.fixture
def settings():
    """The settings manager, emptied before and after."""
    manager = servermanager.vtkSMSettings.GetInstance()
    manager.ClearAllSettings()
    yield manager
    manager.ClearAllSettings()


def _registrations(pxm) -> list[str]:
    iterator = pxm.__iter__()
    return [f"{iterator.GetGroup()}.{iterator.GetKey()} ==> {proxy.GetXMLName()}" for proxy in iterator]


# ----------------------------------------------------------------------------------------------- sessions


def test_session_and_process_module_answer_from_the_connection(simple) -> None:
    conn = servermanager.ActiveConnection
    session = conn.Session
    assert isinstance(session, Session) and session.connection is conn
    assert servermanager.vtkSMProxyManager.GetProxyManager().GetActiveSession() is session
    assert session.GetNumberOfProcesses(session.DATA_SERVER) == conn.GetNumberOfDataPartitions() == 1
    assert session.GetNumberOfProcesses(session.CLIENT) == 1 and session.GetURI() == "builtin:"
    module = servermanager.vtkProcessModule.GetProcessModule()
    assert module.GetPartitionId() == 0 and module.GetNumberOfLocalPartitions() == 1
    assert servermanager.vtkProcessModule.GetSymmetricMPIMode() is False
    assert module.GetProcessType() == module.PROCESS_CLIENT
    assert servermanager.vtkSMProxyManager.GetProxyManager().GetVersionMinor() == 11


def test_several_sessions_each_with_its_proxies(simple) -> None:
    first = servermanager.ActiveConnection
    servermanager.vtkProcessModule.GetProcessModule().SetMultipleSessionsSupport(True)
    assert servermanager.vtkProcessModule.GetProcessModule().GetMultipleSessionsSupport()
    second = simple.Connect()
    assert servermanager.Connections == [first, second] and first.Session != second.Session
    on_second = second.Session.GetSessionProxyManager().NewProxy("sources", "SphereSource")
    sphere2 = simple.Sphere()
    simple.SetActiveConnection(first, globals())
    sphere1 = simple.Sphere()
    assert sphere1.GetSession() == first.Session and sphere2.GetSession() == second.Session
    on_first = first.Session.GetSessionProxyManager().NewProxy("sources", "ConeSource")
    assert on_first.GetSession() == first.Session and on_second.GetSession() == second.Session
    assert on_second.PythonProxy.connection is second and on_first.GetXMLName() == "ConeSource"
    servermanager.Disconnect()
    assert servermanager.Connections == [second] and servermanager.ActiveConnection is second
    servermanager.Disconnect()
    servermanager.Disconnect()  # none left: nothing to do
    assert servermanager.Connections == []


def test_new_session_is_another_builtin_session_not_made_active(simple) -> None:
    active = servermanager.ActiveConnection
    session = servermanager.vtkSMSession()
    try:
        assert session.connection is not active and servermanager.ActiveConnection is active
        sphere = session.GetSessionProxyManager().NewProxy("sources", "SphereSource")
        assert sphere.PythonProxy.connection is session.connection
        assert session.GetSessionProxyManager().GetNumberOfProxies("sources") == 0  # made unregistered
        sphere.FastDelete()
        assert sphere.GetGlobalID() not in session.connection.states
    finally:
        session.connection.close()


def test_proxies_namespace_gives_one_class_per_type(simple) -> None:
    conn = servermanager.ActiveConnection
    sphere = conn.Session.GetSessionProxyManager().NewProxy("sources", "SphereSource")
    sphere.UnRegister(None)
    cls = conn.ProxiesNS.getClass(sphere)
    assert type(cls.Radius) is property
    assert simple.Sphere().__class__ is cls and conn.ProxiesNS.sources.Sphere().__class__ is cls
    assert conn.ProxiesNS.getClass(simple.Cone()) is not cls
    assert not hasattr(conn.ProxiesNS, "delivery_managers") and "Shrink" in dir(conn.ProxiesNS.filters)
    with pytest.raises(UnknownProxyTypeError, match="extract_writers"):
        conn.Session.GetSessionProxyManager().NewProxy("extract_writers", "PNG")
    with pytest.raises(RuntimeError, match="Moments"):
        simple.LoadDistributedPlugin("Moments")


def test_fetch_data_source_ranks_on_one_rank(simple) -> None:
    wavelet = simple.Wavelet()
    everything = simple.FetchData(wavelet)
    assert list(everything) == [0] and everything[0].IsA("vtkImageData")
    assert everything[0].GetNumberOfPoints() == 21**3
    assert list(simple.FetchData(wavelet, SourceRanks=[0], GatherOnAllRanks=True)) == [0]
    assert simple.FetchData(wavelet, SourceRanks=[1, 2]) == {}


# ----------------------------------------------------------------------------------------------- registrations


def test_one_proxy_under_several_groups_and_names(simple) -> None:
    pxm = servermanager.ProxyManager()
    p1, p2 = servermanager.sources.SphereSource(), servermanager.sources.ConeSource()
    p3 = servermanager.sources.ArrowSource()
    assert pxm.GetNumberOfProxies("sources") == 0  # servermanager's proxies are made unregistered
    for group, name, proxy in [
        ("sources", "source1_2", p1),
        ("sources", "source1_2", p2),
        ("sources", "source2", p2),
        ("filters", "s1", p1),
        ("filters", "s2", p2),
        ("filters", "s2", p3),
        ("filters", "s3", p3),
    ]:
        pxm.RegisterProxy(group, name, proxy)
    assert _registrations(pxm) == [
        "filters.s1 ==> SphereSource",  # ParaView's XML names, as ParaView 5.11 prints them
        "filters.s2 ==> ConeSource",
        "filters.s2 ==> ArrowSource",
        "filters.s3 ==> ArrowSource",
        "sources.source1_2 ==> SphereSource",
        "sources.source1_2 ==> ConeSource",
        "sources.source2 ==> ConeSource",
    ]
    assert [pxm.GetNumberOfProxies(g) for g in ("sources", "filters", "non-existant")] == [3, 4, 0]
    assert pxm.GetProxies("filters", "s2") == [p2, p3]
    # The server keeps one name per proxy: the first registration in its own group.
    assert (p1.GetRegistrationName(), p2.GetRegistrationName()) == ("source1_2", "source1_2")
    assert pxm.GetProxyName("sources", p2) == "source1_2" and pxm.GetProxyName("filters", p3) == "s2"
    pxm.UnRegisterProxy("filters", "s2", p3)
    assert pxm.GetProxies("filters", "s2") == [p2] and p3.GlobalID in p3.connection.states
    pxm.UnRegisterProxy("sources", "source1_2", p2)  # its server name goes: its alias in the group takes over
    assert p2.GetRegistrationName() == "source2" and pxm.GetNumberOfProxies("sources") == 2
    pxm.UnRegisterProxy("sources", "source1_2", p1)  # still registered in "filters": kept
    assert p1.GlobalID in p1.connection.states and pxm.GetProxies("sources", "source1_2") == []
    assert pxm.GetProxy("filters", "s1") == p1


def test_unregistering_the_last_name_deletes_and_rename_keeps_one_name(simple) -> None:
    pxm = servermanager.ProxyManager()
    sphere = simple.Sphere()
    simple.RenameProxy(sphere, "sources", "Ball")
    assert sphere.GetRegistrationName() == "Ball" and pxm.GetProxies("sources", "Sphere1") == []
    assert pxm.GetNumberOfProxies("sources") == 1
    pxm.UnRegisterProxy("sources", "Ball", sphere)
    assert sphere.GlobalID not in sphere.connection.states
    made = servermanager.sources.SphereSource(registrationName="named")
    assert pxm.GetProxy("sources", "named") == made
    with pytest.raises(PVError, match="registration name"):
        pxm.RegisterProxy("sources", "", made)


# ----------------------------------------------------------------------------------------------- settings


def test_settings_descriptions_values_and_priorities(settings) -> None:
    settings.AddCollectionFromString(SETTINGS, 2000000.0)
    settings.AddCollectionFromString("{}", 1500000.0)
    assert settings.GetSettingDescription(".sources") == "// Default settings for sources."
    assert settings.GetSettingDescription(".sources.SphereSource") == "// A sphere source"
    assert settings.GetSettingDescription(".sources.SphereSource.Radius") == (
        "/* New comment\n         New comment 2 */"
    )
    assert settings.GetSettingDescription(".sources.SphereSource.ThetaResolution") == (
        "// Theta resolution\n// Theta resolution 2"
    )
    assert settings.GetSettingDescription(".sources.SphereSource.Center") == "// Center comment"
    assert settings.GetSettingAsDouble(".sources.SphereSource.Radius", 0, 0.0) == 2.25
    assert settings.GetSettingAsInt(".sources.SphereSource.ThetaResolution", 0, 0) == 32
    assert settings.GetSettingNumberOfElements(".sources.SphereSource.Center") == 3
    assert [settings.GetSettingAsDouble(".sources.SphereSource.Center", i, 0.0) for i in range(3)] == [1, 2, 4]
    assert settings.GetSettingAsString(".sources.SphereSource.Radius", 0, "none") == "none"
    assert settings.GetSettingAsInt(".sources.Nothing", 7) == 7
    settings.AddCollectionFromString('{"sources": {"SphereSource": {"Radius": 9.5}}}', 3000000.0)
    assert settings.GetSettingAsDouble(".sources.SphereSource.Radius", 0.0) == 9.5  # the highest priority wins
    assert settings.GetSettingAsInt(".sources.SphereSource.ThetaResolution", 0) == 32  # from the lower one


def test_set_setting_builds_values_and_arrays(settings) -> None:
    assert not settings.HasSetting(".sources.SphereSource")
    settings.SetSetting(".sources.SphereSource.ints", 5)
    settings.SetSetting(".sources.SphereSource.ints", 1, 2)
    settings.SetSetting(".sources.SphereSource.double", 5.0)
    for args in (("five",), ("one",), (1, "two"), (1, "three")):
        settings.SetSetting(".sources.SphereSource.strings", *args)
    assert [settings.GetSettingAsInt(".sources.SphereSource.ints", i, 0) for i in (0, 1)] == [5, 2]
    assert settings.GetSettingAsDouble(".sources.SphereSource.double", 0, 0.0) == 5.0
    assert [settings.GetSettingAsString(".sources.SphereSource.strings", i, "") for i in (0, 1)] == ["one", "three"]
    assert settings.HasSetting(".sources.SphereSource")
    settings.ClearAllSettings()
    assert not settings.HasSetting(".sources.SphereSource")


def test_proxy_settings_set_the_proxy_on_the_server(simple, settings) -> None:
    settings.AddCollectionFromString(SETTINGS, 2000000.0)
    pxm = servermanager.vtkSMSession().GetSessionProxyManager()
    try:
        sphere = pxm.NewProxy("sources", "SphereSource")
        assert settings.GetProxySettings(sphere)
        assert sphere.GetProperty("Radius").GetElement(0) == 2.25
        reference = vtkSphereSource()
        reference.SetRadius(2.25)
        reference.SetThetaResolution(32)
        reference.SetCenter(1.0, 2.0, 4.0)
        reference.Update()
        info = sphere.PythonProxy.GetDataInformation()
        assert info.GetNumberOfCells() == reference.GetOutput().GetNumberOfCells()
        assert info.GetBounds() == pytest.approx(reference.GetOutput().GetBounds())
        # Settings of several collections apply together; a refused value leaves the others applied.
        settings.AddCollectionFromString('{"sources": {"SphereSource": {"PhiResolution": 5, "Radius": "big"}}}', 3e6)
        assert not settings.GetProxySettings(sphere)
        assert sphere.PythonProxy.PhiResolution == 5 and sphere.PythonProxy.ThetaResolution == 32
        assert sphere.PythonProxy.Radius == 2.25
        sphere.FastDelete()
    finally:
        pxm.connection.close()


def test_bad_settings_documents_say_what_is_wrong(settings) -> None:
    with pytest.raises(PVError, match="line 1"):
        settings.AddCollectionFromString('{"a": tru}', 1.0)
    with pytest.raises(PVError, match="must be an object"):
        settings.AddCollectionFromString("[1, 2]", 1.0)
    with pytest.raises(PVError, match=r"starts with '\.'"):
        settings.GetSettingAsInt("sources.Sphere", 0)
    assert settings.GetNumberOfCollections() == 0
