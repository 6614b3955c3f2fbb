"""Distances and the WGS-84 → GCJ-02 shift used for navigation links."""

from __future__ import annotations

import pytest

from aftersales.core.geo import distance_m, wgs84_to_gcj02


def test_a_degree_of_latitude_is_about_111_km():
    assert distance_m(31.0, 121.0, 32.0, 121.0) == pytest.approx(111_195, rel=1e-3)


def test_the_same_point_is_zero_metres_away():
    assert distance_m(31.2304, 121.4737, 31.2304, 121.4737) == 0


@pytest.mark.parametrize(("lat", "lng"), [(31.2304, 121.4737), (39.9042, 116.4074), (23.1291, 113.2644), (43.8171, 125.3235)])
def test_chinese_maps_shift_a_phones_position_by_a_few_hundred_metres_in_china(lat, lng):
    glat, glng = wgs84_to_gcj02(lat, lng)
    assert 100 < distance_m(lat, lng, glat, glng) < 800


def test_the_shift_matches_the_published_algorithm_at_tiananmen():
    # eviltransform's test vector: WGS-84 (39.90811, 116.39748) → GCJ-02 about (39.90951, 116.40372), i.e. ~560 m east-north-east
    glat, glng = wgs84_to_gcj02(39.90811, 116.39748)
    assert glat == pytest.approx(39.90951, abs=2e-4) and glng == pytest.approx(116.40372, abs=2e-4)


def test_positions_outside_china_are_not_shifted():
    assert wgs84_to_gcj02(48.8566, 2.3522) == (48.8566, 2.3522)
