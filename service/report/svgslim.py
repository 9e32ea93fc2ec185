"""A chart's SVG with the same drawing in fewer, plainer nodes, for WeasyPrint's SVG engine.

WeasyPrint draws an SVG node by node in Python: each node is wrapped, its `style`
attribute parsed with tinycss2, every stylesheet rule matched against it, its state pushed
and popped. matplotlib writes half of a chart's nodes as `<g id="...">` groups that only
name their children, puts every property in a `style` attribute, sets two line properties
for all nodes with a `* {...}` stylesheet and turns unrotated text by `rotate(-0 x y)`.
`slim` rewrites the tree (not the text) to what draws the same: properties as presentation
attributes, the stylesheet's inherited properties on the root, groups with nothing but an
unreferenced `id` dissolved into their parent, identity rotations dropped. Anything it does
not recognise it leaves as it is. A report's five charts draw in about a third less time;
the pixels are the same (tests/report/test_svgslim.py).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
# Inherited properties whose value never depends on the parent's: set on the root they
# reach every node, as a `*` rule sets them on every node (a node's own value wins in both).
# Not font-size or font-weight: a relative value (80%, bolder) compounds under a `*` rule.
_INHERITED = frozenset(
    {
        "stroke-linejoin",
        "stroke-linecap",
        "stroke-miterlimit",
        "fill-rule",
        "clip-rule",
        "font-family",
        "font-style",
    }
)
_UNIVERSAL = re.compile(r"\s*\*\s*\{([^{}]*)\}\s*")
_IDENTITY_ROTATION = re.compile(r"rotate\(\s*-?0(\.0*)?\s+[-+.\deE]+\s+[-+.\deE]+\s*\)")
_REFERENCE = re.compile(r"#([^\s\"')]+)")


def slim(data: bytes) -> bytes:
    """The SVG `data` with the same drawing in fewer nodes and no CSS to parse."""
    root = ET.fromstring(data)
    if not _plain_names(root) or not _stylesheet_to_root(root):
        return data  # a stylesheet rule would outrank presentation attributes
    if any("!" in node.get("style", "") for node in root.iter()):
        return data  # an !important declaration
    for node in root.iter():
        style = node.attrib.pop("style", None)
        if style is not None:
            node.attrib.update(_declarations(style))
        transform = node.get("transform")
        if transform is not None and _IDENTITY_ROTATION.fullmatch(transform):
            del node.attrib["transform"]
    referenced = set(_REFERENCE.findall(data.decode("utf-8")))
    _dissolve_groups(root, referenced)
    root.set("xmlns", SVG_NS)
    root.set("xmlns:xlink", XLINK_NS)
    out: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return out


def _plain_names(root: ET.Element) -> bool:
    """Write the SVG and XLink names without their namespace (the root declares both, as
    matplotlib's does), so that ElementTree writes them as they were; False when a name
    of another namespace is in the tree."""
    svg, xlink = f"{{{SVG_NS}}}", f"{{{XLINK_NS}}}"
    for node in root.iter():
        if not isinstance(node.tag, str) or not node.tag.startswith(svg):
            return False
        node.tag = node.tag[len(svg) :]
        for key in [k for k in node.attrib if k.startswith("{")]:
            if not key.startswith(xlink):
                return False
            node.attrib["xlink:" + key[len(xlink) :]] = node.attrib.pop(key)
    return True


def _declarations(style: str) -> dict[str, str]:
    out = {}
    for part in style.split(";"):
        name, colon, value = part.partition(":")
        if colon and name.strip():
            out[name.strip()] = value.strip()
    return out


def _stylesheet_to_root(root: ET.Element) -> bool:
    """Move `<style>` sheets of one `*` rule of inherited properties onto the root; False
    (and nothing changed) when a sheet holds anything else."""
    sheets = [(defs, s) for defs in root.iter("defs") for s in defs.findall("style")]
    found = []
    for _, sheet in sheets:
        match = _UNIVERSAL.fullmatch(sheet.text or "")
        if not match or not set(_declarations(match.group(1))) <= _INHERITED:
            return False
        found.append(_declarations(match.group(1)))
    for (defs, sheet), declarations in zip(sheets, found, strict=True):
        defs.remove(sheet)
        for name, value in declarations.items():
            root.set(name, value)
    for parent in list(root.iter()):
        for defs in parent.findall("defs"):
            if len(defs) == 0 and not defs.attrib:
                parent.remove(defs)
    return True


def _dissolve_groups(parent: ET.Element, referenced: set[str]) -> None:
    """Replace each `<g>` that has no attribute but an unreferenced id by its children."""
    children: list[ET.Element] = []
    for child in parent:
        _dissolve_groups(child, referenced)
        plain = child.tag == "g" and set(child.attrib) <= {"id"}
        if plain and child.get("id") not in referenced and not (child.text or "").strip():
            children.extend(child)
        else:
            children.append(child)
    parent[:] = children
