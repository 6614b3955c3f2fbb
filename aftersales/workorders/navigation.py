"""Links that open the phone's map app at the customer's machine (no API key: the apps' public URI schemes).

With a site position (WGS-84, learned from a check-in) the pin goes there, converted to GCJ-02 for AMap, Tencent and
Baidu (``coord_type=gcj02``); Android's generic ``geo:`` link keeps WGS-84. Without one, the apps search the address.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from django.utils.translation import gettext_lazy as _

from aftersales.core.geo import wgs84_to_gcj02


@dataclass(frozen=True)
class MapLink:
    app: str
    label: str
    url: str


def map_links(*, latitude, longitude, address: str, name: str) -> list[MapLink]:
    title = quote(name or address or "", safe="")
    if latitude is not None and longitude is not None:
        lat, lng = float(latitude), float(longitude)
        glat, glng = wgs84_to_gcj02(lat, lng)
        return [
            MapLink("amap", str(_("AMap")), f"https://uri.amap.com/marker?position={glng:.6f},{glat:.6f}&name={title}&coordinate=gaode&callnative=1"),
            MapLink("baidu", str(_("Baidu Maps")),
                    f"baidumap://map/marker?location={glat:.6f},{glng:.6f}&title={title}&coord_type=gcj02&src=aftersales"),
            MapLink("tencent", str(_("Tencent Maps")), f"qqmap://map/marker?marker=coord:{glat:.6f},{glng:.6f};title:{title}&referer=aftersales"),
            MapLink("geo", str(_("Other map app")), f"geo:{lat:.6f},{lng:.6f}?q={lat:.6f},{lng:.6f}({title})"),
        ]
    if not (address or "").strip():
        return []
    where = quote(address.strip(), safe="")
    return [
        MapLink("amap", str(_("AMap")), f"https://uri.amap.com/search?keyword={where}&callnative=1"),
        MapLink("baidu", str(_("Baidu Maps")), f"baidumap://map/geocoder?address={where}&src=aftersales"),
        MapLink("tencent", str(_("Tencent Maps")), f"qqmap://map/search?keyword={where}&referer=aftersales"),
        MapLink("geo", str(_("Other map app")), f"geo:0,0?q={where}"),
    ]


def job_map_links(work_order) -> list[MapLink]:
    sr = work_order.request
    equipment = sr.equipment
    return map_links(latitude=getattr(equipment, "site_latitude", None), longitude=getattr(equipment, "site_longitude", None),
                     address=(getattr(equipment, "site_address", "") or sr.address or ""), name=sr.customer.name if sr.customer_id else "")
