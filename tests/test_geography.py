"""Mali's outline: points inside and outside, swapped coordinates, places and labels."""

from __future__ import annotations

import pandas as pd
from factories import event_row

from analysis import geography
from analysis.data import check_events
from analysis.errors import DataError


def test_known_places():
    assert geography.in_mali(12.64, -8.0)  # Bamako
    assert geography.in_mali(18.44, 1.41)  # Kidal
    assert not geography.in_mali(48.85, 2.35)  # Paris
    assert not geography.in_mali(14.7, -17.4)  # Dakar, Senegal


def test_swapped_coordinates_are_named(events_file):
    path = events_file([event_row(latitude="-3.32", longitude="14.28")])
    try:
        check_events(path)
    except DataError as err:
        messages = [str(p) for p in err.problems]
    else:
        raise AssertionError("a point in the Gulf of Guinea was accepted")
    assert any("row 2, column 'latitude'" in m and "swapped" in m for m in messages), messages


def test_point_outside_mali_but_inside_the_box_is_rejected(events_file):
    # Inside the schema's bounding box, but in Mauritania.
    path = events_file([event_row(latitude="20.0", longitude="-11.0")])
    try:
        check_events(path)
    except DataError as err:
        assert any("outside Mali" in p.message for p in err.problems)
    else:
        raise AssertionError("a point in Mauritania was accepted")


def test_places_and_labels():
    events = pd.DataFrame({
        "event_id": ["a", "b", "c"], "location": ["Gao", "Gao", "Kidal"],
        "latitude": [16.27, 16.27, 18.44], "longitude": [-0.04, -0.04, 1.41],
        "admin1": ["Gao", "Gao", "Kidal"],
        "fatalities_best": pd.array([3, None, 7], dtype="Int64"),
    })
    places = geography.places(events).set_index("location")
    assert places.loc["Gao", "events"] == 2 and places.loc["Gao", "fatalities"] == 3
    labels = geography.region_labels(events).set_index("admin1")
    assert labels.loc["Kidal", "latitude"] == 18.44


def test_events_without_a_region_are_counted_not_mapped():
    import pandas as pd

    from analysis import transforms

    events = pd.DataFrame({
        "event_id": ["a", "b", "c"], "location": ["Gao", "Mali", "Gao"],
        "latitude": [16.27, 17.0, 16.27], "longitude": [-0.04, -4.0, -0.04],
        "admin1": ["Gao", None, "Gao"], "fatalities_best": pd.array([3, 12, None], "Int64")})
    assert geography.places(events)["events"].tolist() == [2]
    assert geography.wide_area(events).iloc[0].tolist() == [1, 12]
    regions = transforms.tally(events, ["admin1"]).set_index("admin1")["events"].to_dict()
    assert regions == {"Gao": 2, "no region (wider area)": 1}
