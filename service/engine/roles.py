"""A model's roles: what the service needs to know about it, as its Interface sheet declares.

Which output is the saldo and the totals, the bars of the cost-benefit chart, the headline
figures, the actors and their outputs, the input groups with their labels (and which are
cockpit knobs), the effect domains, the discount-rate input, the graded (evidence) inputs,
the yearly series and whether the cockpit opens this model by default.
Plain data read from the artifact's ROLES; nothing here names a model or an output.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


class MissingRole(LookupError):
    """A request needs a role the model does not declare.

    `hint` names the request field that would make the role unnecessary (the API shows
    it in its own words); without one the resource does not exist for this model (404).
    """

    def __init__(self, role: str, model_id: str, hint: str = "") -> None:
        super().__init__(f"model {model_id} declares no {role} role in its Interface sheet")
        self.role = role
        self.model_id = model_id
        self.hint = hint


@dataclass(frozen=True)
class Labelled:
    """Anything the Interface sheet names: its key and its Dutch and English labels."""

    name: str
    label_nl: str
    label_en: str


@dataclass(frozen=True)
class Group(Labelled):
    """An input or output group: key, labels, and whether its inputs are cockpit knobs."""

    knobs: bool = False


@dataclass(frozen=True)
class Actor(Labelled):
    """Who pays or profits: key, labels and its costs/benefits/saldo outputs (or None)."""

    costs: str | None = None
    benefits: str | None = None
    saldo: str | None = None


@dataclass(frozen=True)
class EffectDomain(Labelled):
    """An effect-measurement domain: which input holds the change, and its sign."""

    success: str
    input: str
    sign: int


@dataclass(frozen=True)
class EvidenceInput:
    """An input the optimism-bias correction may scale: an effect (down) or a cost (up),
    with its evidence grade (None: declared ungraded, a request may grade it) and, for an
    effect, its impact deflators (deadweight, attribution, dropOff: fractions)."""

    input: str
    kind: str
    grade: str | None
    deflators: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class SeriesLine:
    """A cost or benefit line per year: key, labels, kind (costs/benefits) and its cells."""

    name: str
    label_nl: str
    label_en: str
    kind: str
    cells: tuple[str, ...]


@dataclass(frozen=True)
class ActorSeries:
    """An actor's costs and benefits per year (the cells of each, or None)."""

    actor: str
    costs: tuple[str, ...] | None
    benefits: tuple[str, ...] | None


@dataclass(frozen=True)
class Series:
    """The yearly series a model declares: years, discount factors, lines and actors."""

    years: tuple[int, ...]
    discount_factors: tuple[str, ...]
    lines: tuple[SeriesLine, ...]
    actors: tuple[ActorSeries, ...]
    constants: Mapping[str, float] = field(default_factory=dict)  # typed series cells

    @classmethod
    def from_artifact(cls, data: Mapping[str, Any]) -> Series:
        """The artifact's ROLES["series"]."""

        def cells(v: Any) -> tuple[str, ...] | None:
            return None if v is None else tuple(v)

        return cls(
            years=tuple(data["years"]),
            discount_factors=tuple(data["discountFactors"]),
            lines=tuple(
                SeriesLine(x["name"], x["labelNl"], x["labelEn"], x["kind"], tuple(x["cells"]))
                for x in data["lines"]
            ),
            actors=tuple(
                ActorSeries(a["actor"], cells(a["costs"]), cells(a["benefits"]))
                for a in data["actors"]
            ),
            constants=dict(data.get("constants", {})),
        )

    def cells(self) -> list[str]:
        """Every cell of every series, discount factors first (the engine computes these)."""
        out = list(self.discount_factors)
        for line in self.lines:
            out += line.cells
        for a in self.actors:
            out += (a.costs or ()) + (a.benefits or ())
        return out


@dataclass(frozen=True)
class Roles:
    """Every role a model declares; each one optional."""

    saldo: str | None = None
    total_costs: str | None = None
    total_benefits: str | None = None
    benefit_bars: tuple[str, ...] = ()
    cost_bars: tuple[str, ...] = ()
    headline: tuple[str, ...] = ()
    groups: tuple[Group, ...] = ()
    actors: tuple[Actor, ...] = ()
    effect_domains: tuple[EffectDomain, ...] = ()
    cockpit_default: bool = False
    discount_rate: str | None = None
    series: Series | None = None
    evidence: tuple[EvidenceInput, ...] = ()
    _group_index: dict[str, Group] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_artifact(cls, data: Mapping[str, Any] | None) -> Roles:
        """The artifact's ROLES dict (absent in artifacts older than the roles: no roles)."""
        if not data:
            return cls()
        out = data.get("outputs", {})
        groups = tuple(
            Group(g["name"], g["labelNl"], g["labelEn"], bool(g["knobs"]))
            for g in data.get("groups", ())
        )
        return cls(
            saldo=out.get("saldo"),
            total_costs=out.get("totalCosts"),
            total_benefits=out.get("totalBenefits"),
            benefit_bars=tuple(out.get("benefitBar", ())),
            cost_bars=tuple(out.get("costBar", ())),
            headline=tuple(out.get("headline", ())),
            groups=groups,
            actors=tuple(
                Actor(a["name"], a["labelNl"], a["labelEn"], a["costs"], a["benefits"], a["saldo"])
                for a in data.get("actors", ())
            ),
            effect_domains=tuple(
                EffectDomain(
                    d["name"], d["labelNl"], d["labelEn"], d["success"], d["input"], d["sign"]
                )
                for d in data.get("effectDomains", ())
            ),
            cockpit_default=bool(data.get("cockpitDefault", False)),
            discount_rate=data.get("inputs", {}).get("discountRate"),
            series=Series.from_artifact(data["series"]) if "series" in data else None,
            evidence=tuple(
                EvidenceInput(name, e["kind"], e["grade"], dict(e.get("deflators", {})))
                for name, e in data.get("evidence", {}).items()
            ),
            _group_index={g.name: g for g in groups},
        )

    def group(self, name: str) -> Group | None:
        """The group row of a group key."""
        return self._group_index.get(name)

    @property
    def knob_groups(self) -> tuple[str, ...]:
        """The keys of the groups shown as cockpit knobs (the tornado's default inputs)."""
        return tuple(g.name for g in self.groups if g.knobs)
