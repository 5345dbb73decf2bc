"""Geography: Mali's outline, points that fall outside it, and places to label regions."""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
from shapely.geometry import Point, shape
from shapely.prepared import prep

from analysis import paths

OUTLINE = paths.DATA / "boundaries" / "mali_outline.geojson"
#: The outline is Natural Earth at 1:50m: accept points this close (degrees, about 20 km) to it.
TOLERANCE_DEGREES = 0.2

#: Zones of regions (``admin1``) used to follow the shift of violence: the north, the south
#: and west, and the centre (every other region: Mopti and Ségou).
REGION_ZONES: dict[str, tuple[str, ...]] = {
    "north": ("Kidal", "Gao", "Tombouctou", "Ménaka", "Taoudénit"),
    "south and west": ("Kayes", "Koulikoro", "Bamako", "Sikasso"),
}


@cache
def outline() -> dict[str, Any]:
    """Mali's outline as a GeoJSON FeatureCollection (Natural Earth 1:50m, via world-atlas)."""
    return json.loads(OUTLINE.read_text(encoding="utf-8"))


@cache
def _mali_area():
    geometry = shape(outline()["features"][0]["geometry"])
    return prep(geometry.buffer(TOLERANCE_DEGREES))


def in_mali(latitude: float, longitude: float) -> bool:
    """Whether a point lies inside Mali's outline (with the tolerance)."""
    return _mali_area().contains(Point(float(longitude), float(latitude)))


def outside_mali(events: pd.DataFrame) -> pd.Series:
    """True for events whose coordinates fall outside Mali's outline (with the tolerance)."""
    inside = [
        pd.isna(lat) or pd.isna(lon) or in_mali(lat, lon)
        for lat, lon in zip(events["latitude"], events["longitude"], strict=True)
    ]
    return ~pd.Series(inside, index=events.index)


def location_problem(latitude: float, longitude: float) -> str:
    """Why a point outside Mali is wrong, suggesting a swap when that would put it inside."""
    message = f"({latitude}, {longitude}) lies outside Mali"
    if in_mali(longitude, latitude):
        message += "; latitude and longitude look swapped"
    return message


def placed(events: pd.DataFrame) -> pd.DataFrame:
    """The events located at least to a region (``admin1``): those a map can place."""
    return events[events["admin1"].notna()]


def wide_area(events: pd.DataFrame) -> pd.DataFrame:
    """How many events (and reported deaths) the sources place only in a wider area than a
    region (no ``admin1``): left off maps and regional tables, kept in national totals."""
    unplaced = events[events["admin1"].isna()]
    return pd.DataFrame({"events": [len(unplaced)],
                         "reported deaths": [int(unplaced["fatalities_best"].sum(min_count=0)
                                                 if len(unplaced) else 0)]},
                        index=pd.Index(["located only to a wider area (not mapped)"]))


def places(events: pd.DataFrame, by: Sequence[str] = ()) -> pd.DataFrame:
    """One row per named place (and group) of the events located to a region (``placed``):
    coordinates, region, events and reported deaths."""
    keys = [*by, "location", "latitude", "longitude", "admin1"]
    table = placed(events).groupby(keys, observed=True).agg(
        events=("event_id", "size"),
        fatalities=("fatalities_best", lambda s: int(s.sum(min_count=0))),
    ).reset_index()
    return table.sort_values([*by, "events", "location"],
                             ascending=[True] * len(by) + [False, True], ignore_index=True)


def region_labels(events: pd.DataFrame) -> pd.DataFrame:
    """A point per region at the median of its events' coordinates, for labelling maps."""
    return events.groupby("admin1").agg(
        latitude=("latitude", "median"), longitude=("longitude", "median")
    ).reset_index()


EARTH_RADIUS_KM = 6371.0088


def distance_km(lat: np.ndarray | float, lon: np.ndarray | float, lat0: float, lon0: float
                ) -> np.ndarray:
    """Great-circle distance (haversine) from each point to (lat0, lon0), in km."""
    lat, lon = np.radians(np.asarray(lat, dtype=float)), np.radians(np.asarray(lon, dtype=float))
    lat0, lon0 = np.radians(lat0), np.radians(lon0)
    a = (np.sin((lat - lat0) / 2) ** 2
         + np.cos(lat) * np.cos(lat0) * np.sin((lon - lon0) / 2) ** 2)
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a))
