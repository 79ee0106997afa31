"""City and site settings, read from ``site.yaml``.

Everything that makes a site Amsterdam's (or another city's) lives in that file and in
``taxonomy/``: the names, the bounding box, the time zone, the repository.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Literal, Mapping

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from wijknet.safe_yaml import load_yaml_document


class BoundingBox(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    min_lat: float = Field(ge=-90, le=90)
    max_lat: float = Field(ge=-90, le=90)
    min_lon: float = Field(ge=-180, le=180)
    max_lon: float = Field(ge=-180, le=180)

    @model_validator(mode="after")
    def _ordered(self) -> "BoundingBox":
        if self.min_lat >= self.max_lat or self.min_lon >= self.max_lon:
            raise ValueError("min must be below max")
        return self

    def contains(self, lat: float, lon: float) -> bool:
        return self.min_lat <= lat <= self.max_lat and self.min_lon <= lon <= self.max_lon


class DataLicence(BaseModel):
    """The licence of the site's open data: shown in the footer and written into the exports."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    id: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9.+-]+$")  # SPDX, e.g. CC-BY-4.0
    name: str = Field(alias="naam", min_length=1, max_length=120)
    url: str = Field(pattern=r"^https?://[^/\s]+(/[^\s]*)?$")


class MapSettings(BaseModel):
    """The city's map (``kaart:``): the polygons its boundaries are made from.

    ``polygons`` is a GeoJSON FeatureCollection of (buurt or wijk) polygons in WGS84, relative
    to the folder of ``site.yaml``. Each feature says which wijk of ``gebieden.yaml`` it
    belongs to in its property ``wijk_field``, read as ``wijk_value`` says: a CBS buurt code
    (``BU0363AC02`` lies in the wijk whose code is ``WK0363AC``), a wijk's ``code`` or its
    ``id``. ``source`` is the attribution the data's licence asks for.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    polygons: str = Field(alias="grenzen", min_length=1, max_length=300)
    wijk_field: str = Field(alias="wijkveld", min_length=1, max_length=80)
    wijk_value: Literal["cbs-buurtcode", "code", "id"] = Field(alias="wijkveld_is", default="code")
    source: str = Field(alias="bron", default="", max_length=200)


class SiteSettings(BaseModel):
    """One city's site. Dutch keys in the file, English names in code."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    site_name: str = Field(alias="sitenaam", min_length=1, max_length=80)
    city_name: str = Field(alias="stad", min_length=1, max_length=80)
    tagline: str = Field(alias="ondertitel", default="", max_length=200)
    site_url: str = Field(alias="url", pattern=r"^https?://[^/\s]+(/[^\s]*)?$")
    timezone: str = Field(alias="tijdzone", default="Europe/Amsterdam")
    phone_region: str = Field(alias="telefoonregio", default="NL", min_length=2, max_length=2)
    bbox: BoundingBox = Field(alias="begrenzing")
    repository: str = Field(alias="repository", default="", pattern=r"^([\w.-]+/[\w.-]+)?$")
    branch: str = Field(alias="branch", default="main")
    contact_email: str = Field(alias="contact_email", default="")
    submissions_url: str = Field(alias="inzendingen_url", default="")
    content_dir: str = Field(alias="content_map", default="content/initiatieven")
    admin_auth_url: str = Field(alias="beheer_auth_url", default="", pattern=r"^(https://[^/\s]+(/[^\s]*)?)?$")
    province: str = Field(alias="provincie", default="", max_length=80)
    data_licence: DataLicence | None = Field(alias="datalicentie", default=None)
    map: MapSettings | None = Field(alias="kaart", default=None)

    # the folder of the settings file: paths in it are relative to that folder
    _folder: Path | None = PrivateAttr(default=None)

    @property
    def host(self) -> str:
        return self.site_url.split("://", 1)[1].split("/", 1)[0]

    def resolve(self, relative: str) -> Path:
        """A path named in the settings, relative to the folder of the settings file."""
        path = Path(relative)
        if path.is_absolute() or self._folder is None:
            return path
        return self._folder / path

    def map_polygons(self) -> Path | None:
        """The map's polygon file, or None when the city has no map."""
        return self.resolve(self.map.polygons) if self.map is not None else None

    def data_files(self) -> tuple[Path, ...]:
        """The files besides content, taxonomy and settings that a build reads."""
        polygons = self.map_polygons()
        return (polygons,) if polygons is not None else ()


class SettingsError(Exception):
    def __init__(self, file: str, line: int, key: str, detail: str):
        super().__init__(f"{file}:{line}: {key}: {detail}")
        self.file, self.line, self.key, self.detail = file, line, key, detail


class DataFileError(SettingsError):
    """A file the settings name (the map's polygons) cannot be used. ``problems`` lists
    every reason as (file, line, key, detail), the detail in Dutch; the first is also the
    error's own."""

    def __init__(self, problems: list[tuple[str, int, str, str]]):
        super().__init__(*problems[0])
        self.problems = problems


def load_settings(path: Path) -> SiteSettings:
    """Load ``site.yaml``; raises :class:`SettingsError` naming the line and key."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise SettingsError(str(path), 1, "", error.strerror or str(error)) from None
    data, lines, problem = load_yaml_document(raw)
    if problem is not None:
        raise SettingsError(str(path), problem.line, problem.key, problem.code)
    if not isinstance(data, dict):
        raise SettingsError(str(path), 1, "", "expected a mapping")
    try:
        settings = SiteSettings.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        loc = tuple(first["loc"])
        raise SettingsError(str(path), lines.get(loc[:1], 1), ".".join(map(str, loc)), first["msg"]) from None
    settings._folder = path.resolve().parent
    return settings


SUBMISSIONS_URL_VARIABLE = "SUBMISSIONS_URL"
"""An environment variable that overrides ``inzendingen_url`` of ``site.yaml``."""


def submissions_url(settings: SiteSettings, environ: Mapping[str, str] | None = None) -> str:
    """Where the submission service lives; empty means there is none.

    The one answer for everything that needs it: the form's endpoint, the page's
    Content-Security-Policy (``connect-src``, ``form-action``), "Klopt er iets niet?" and
    the service's allowed origins. ``SUBMISSIONS_URL`` wins over ``inzendingen_url``; were
    they read apart, a browser would block the form when they differ. ``/`` means "on the
    same origin as the site" (``wijknet serve``).
    """
    env = os.environ if environ is None else environ
    return (env.get(SUBMISSIONS_URL_VARIABLE) or settings.submissions_url or "").strip()


LOCAL_BACKEND_VARIABLE = "WIJKNET_LOCAL_BACKEND"
"""An environment variable: where the moderators' desk finds ``decap-server`` on this computer."""

DEFAULT_LOCAL_BACKEND = "http://127.0.0.1:8081/api/v1"

_LOCAL_BACKEND = re.compile(r"^http://127\.0\.0\.1:[0-9]{1,5}/api/v1$")


def local_backend_url(environ: Mapping[str, str] | None = None) -> str:
    """The API address of ``decap-server`` for local editing in the desk (``admin/``).

    One answer for the desk's configuration and its Content-Security-Policy (page and
    header), so the browser never blocks the local back end. Only 127.0.0.1: the local
    back end writes to the files of this computer.
    """
    env = os.environ if environ is None else environ
    url = (env.get(LOCAL_BACKEND_VARIABLE) or DEFAULT_LOCAL_BACKEND).strip()
    if not _LOCAL_BACKEND.match(url):
        raise SettingsError(
            LOCAL_BACKEND_VARIABLE, 1, "", f"'{url}' moet de vorm http://127.0.0.1:<poort>/api/v1 hebben"
        )
    return url
