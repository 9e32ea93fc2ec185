"""WeasyPrint's SVG `<text>` laid out as one run when it places no glyph on its own.

WeasyPrint (up to 70 at least) lays out and draws every letter of an SVG `<text>` with its
own Pango layout, whether or not the SVG positions letters one by one (Kozea/WeasyPrint
issue 2249, where the maintainers propose this same shortcut). A chart's `<text>` from
matplotlib has one x and one y and no per-glyph attributes: laid out once, it costs one
Pango layout instead of one per letter. Kerning and ligatures stay off, as they are when
each letter is laid out alone, so every glyph lands where the per-letter path puts it. Any
other `<text>` goes to WeasyPrint's own function.
"""

from __future__ import annotations

from math import inf
from typing import Any

# The WeasyPrint releases whose SVG text drawing this module follows (svg/text.py); with any
# other, WeasyPrint's own path stays (tests/report/test_svgtext.py then fails, as a reminder
# to compare the two again and widen this).
CHECKED = ("70.",)

# Attributes that place or stretch glyphs one by one: with any of them, WeasyPrint's path.
_PER_GLYPH = ("dx", "dy", "rotate", "letter-spacing", "textLength")


def install() -> None:
    """Route the text elements of WeasyPrint's SVG engine through `draw_text`. The engine
    recognises a text element by comparing its handler with its module's `text`, so that
    name is replaced as well as the table of handlers."""
    global _original
    import weasyprint
    from weasyprint import svg
    from weasyprint.svg.text import text as own  # the module's function, never replaced

    if not weasyprint.__version__.startswith(CHECKED):
        return
    _original = own
    for tag, handler in svg.TAGS.items():
        if handler is own:
            svg.TAGS[tag] = draw_text
    svg.text = draw_text  # type: ignore[attr-defined]


_original: Any = None


def _simple(node: Any) -> bool:
    """True when a `<text>` is one run: one x and one y at most, no per-glyph attribute,
    left to right, no child elements (a `<tspan>` or `<textPath>` is never one)."""
    from weasyprint.svg.utils import normalize

    if (
        node.tag != "text"
        or not node.text
        or len(node._etree_node)
        or node.get("direction") == "rtl"
    ):
        return False
    if any(name in node.attrib for name in _PER_GLYPH):
        return False
    return all(len(normalize(node.attrib.get(a, "")).split()) <= 1 for a in ("x", "y"))


def draw_text(svg: Any, node: Any, font_size: float) -> None:
    """Draw an SVG `<text>` node: one layout for a simple run, else WeasyPrint's own."""
    if not _simple(node):
        _original(svg, node, font_size)
        return
    from weasyprint.css.properties import INITIAL_VALUES
    from weasyprint.draw.text import draw_emojis, draw_first_line
    from weasyprint.matrix import Matrix
    from weasyprint.svg.bounding_box import extend_bounding_box
    from weasyprint.svg.text import Style, TextBox
    from weasyprint.svg.utils import normalize, size
    from weasyprint.text.line_break import split_first_line

    style = Style()
    style.update(INITIAL_VALUES)
    style.font_config = svg.font_config
    style["font_family"] = [
        f.strip("\"'") for f in node.get("font-family", "sans-serif").split(",")
    ]
    style["font_style"] = node.get("font-style", "normal")
    weight = node.get("font-weight", 400)
    weight = {"normal": 400, "bold": 700}.get(weight, weight)
    try:
        style["font_weight"] = int(weight)
    except ValueError:
        style["font_weight"] = 400
    style["font_size"] = font_size
    style["font_kerning"] = "none"  # as a letter laid out alone: the same glyph positions
    style["font_variant_ligatures"] = "none"
    if node.get("direction") == "ltr":
        style["direction"] = "ltr"

    layout, _, _, width, height, baseline = split_first_line(node.text, style, svg.context, inf, 0)
    # The alignment of WeasyPrint's svg/text.py (its ascent and descent are estimates too).
    ascent, descent = font_size * 0.8, font_size * 0.2
    y_align = 0.0
    anchor = node.get("display-anchor")
    alignment = node.get("dominant-baseline", node.get("alignment-baseline"))
    if anchor == "middle":
        y_align = -height / 2
    elif anchor == "top":
        pass
    elif anchor == "bottom":
        y_align = -height
    elif alignment in ("central", "middle"):
        y_align = (ascent + descent) / 2 - descent
    elif alignment in ("text-before-edge", "before_edge", "top", "hanging", "text-top"):
        y_align = ascent
    elif alignment in ("text-after-edge", "after_edge", "bottom", "text-bottom"):
        y_align = -descent

    x = y = None
    if "x" in node.attrib:
        x = size(normalize(node.attrib["x"]).strip(), font_size, svg.inner_width)
    if "y" in node.attrib:
        y = size(normalize(node.attrib["y"]).strip(), font_size, svg.inner_height)
    if x:  # as WeasyPrint's own path: a position of 0 keeps the running offset
        svg.cursor_d_position[0] = 0
    if y:
        svg.cursor_d_position[1] = 0
    x = svg.cursor_position[0] if x is None else x
    y = svg.cursor_position[1] if y is None else y
    svg.cursor_position = x + width, y
    x_position = x + svg.cursor_d_position[0]
    y_position = y + svg.cursor_d_position[1] + y_align
    points = (
        (x_position, y_position - baseline),
        (x_position + width, y_position - baseline + height),
    )
    node.text_bounding_box = extend_bounding_box(node.text_bounding_box, points)

    svg.stream.push_state()
    fill, stroke = svg.set_graphical_state(node, font_size)
    svg.stream.begin_text()
    layout.reactivate(style)
    svg.fill_stroke(fill, stroke, text=True)
    text_box = TextBox(layout, style)
    text_box.baseline = baseline
    matrix = Matrix(a=1, d=-1, e=x_position, f=y_position)
    emojis = draw_first_line(svg.stream, text_box, "none", "none", matrix)
    svg.stream.end_text()
    svg.stream.pop_state()
    draw_emojis(svg.stream, style, x, y, emojis)
