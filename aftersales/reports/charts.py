"""One definition per chart, drawn two ways: ECharts options for the page, an SVG (pygal) for the PDF and the docx."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field

import pygal
from pygal.style import Style

STYLE = Style(font_family="Noto Sans CJK SC, WenQuanYi Zen Hei, sans-serif", background="white", plot_background="white",
              colors=("#206bc4", "#d63939", "#2fb344", "#f59f00", "#ae3ec9", "#17a2b8", "#6c7a91"), title_font_size=16, label_font_size=11,
              legend_font_size=11, major_label_font_size=11)


@dataclass
class ChartSpec:
    id: str
    title: str
    categories: list[str]
    series: list[tuple[str, list[float]]] = field(default_factory=list)
    kind: str = "bar"  # bar | stacked | pie

    @property
    def empty(self) -> bool:
        return not self.categories or not any(any(v for v in values) for _name, values in self.series)


def echarts(spec: ChartSpec) -> dict:
    if spec.kind == "pie":
        name, values = spec.series[0]
        data = [{"name": c, "value": v} for c, v in zip(spec.categories, values, strict=True)]
        return {"tooltip": {"trigger": "item"}, "legend": {"bottom": 0}, "series": [{"type": "pie", "name": name, "radius": ["35%", "65%"], "data": data}]}
    return {"tooltip": {"trigger": "axis"}, "legend": {"top": 0}, "grid": {"left": 60, "right": 10, "top": 30, "bottom": 40},
            "xAxis": {"type": "category", "data": spec.categories}, "yAxis": {"type": "value"},
            "series": [{"type": "bar", "name": name, "data": values, **({"stack": "s"} if spec.kind == "stacked" else {})} for name, values in spec.series]}


def svg(spec: ChartSpec, *, width: int = 640, height: int = 300) -> bytes:
    options = {"style": STYLE, "width": width, "height": height, "js": [], "legend_at_bottom": True, "print_values": False, "truncate_label": -1}
    if spec.kind == "pie":
        chart = pygal.Pie(inner_radius=0.4, **options)
        name, values = spec.series[0]
        for category, value in zip(spec.categories, values, strict=True):
            chart.add(category, value)
    else:
        chart = (pygal.StackedBar if spec.kind == "stacked" else pygal.Bar)(**options)
        chart.x_labels = spec.categories
        for name, values in spec.series:
            chart.add(name, values)
    chart.title = spec.title
    return chart.render()


def svg_data_uri(spec: ChartSpec) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg(spec)).decode()


def png(spec: ChartSpec, *, width: int = 640, height: int = 300) -> bytes:
    """The chart as a picture (for the docx, which takes no SVG), rasterised by CairoSVG."""
    import cairosvg

    return cairosvg.svg2png(bytestring=svg(spec, width=width, height=height), output_width=width * 2, output_height=height * 2)
