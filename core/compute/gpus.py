"""The accelerator catalog: validated GPU specs, fuzzy lookup by name, and add/edit/delete/restore over SQLite."""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, fields, replace
from functools import cache

from core.text import name_key

SPEC_FIELDS = (
    "name", "vendor", "bf16_dense_tflops", "fp32_tflops", "memory_gb", "bandwidth_tbs", "tdp_w",
    "price_per_hour_usd", "price_note", "spec_source", "nvlink_gbs", "ib_gbs", "price_reserved_per_hour_usd",
    "price_spot_per_hour_usd", "price_tiers_note", "precisions",
)  # fmt: skip
PRICE_TIERS = ("on_demand", "reserved", "spot")
KNOWN_FORMATS = ("fp32", "tf32", "fp16", "bf16", "fp8", "fp4", "int8", "int4")
# Without NVLink, GPUs in one server talk over PCIe 4.0 x16 (32 GB/s each way); without a stated network, servers
# talk over 100 Gb/s Ethernet (12.5 GB/s). Both are our assumptions for catalog rows that give no figure.
PCIE_GBS = 32.0
DEFAULT_NETWORK_GBS = 12.5
# Words that name the maker, the product family or the memory type, not the model, so "NVIDIA H100 80GB HBM3"
# still finds "H100 SXM".
NOISE_WORDS = {"nvidia", "amd", "google", "tesla", "gpu", "gpus", "hbm", "hbm2", "hbm2e", "hbm3", "hbm3e"}
FP8_PATTERNS = r"\b(h100|h800|h200|h20|gh200|b100|b200|b300|gb200|gb300|l4|l40s?|rtx 40\d0|mi300x?|mi325x?|mi355x?)\b"


def supports_fp8(gpu_name: str) -> bool:
    return re.search(FP8_PATTERNS, gpu_name.lower()) is not None


# Bounds of every spec figure (the largest accelerators today: about 5,000 dense BF16 TFLOPS, 300 GB, 10 TB/s,
# 1,500 W); the floors keep the estimators, which divide by these, finite.
SPEC_BOUNDS = {
    "bf16_dense_tflops": (1e-3, 1e6), "fp32_tflops": (1e-3, 1e6), "memory_gb": (1e-3, 1e6),
    "bandwidth_tbs": (1e-3, 1e4), "tdp_w": (None, 1e6), "price_per_hour_usd": (None, 1e5),
    "nvlink_gbs": (1e-3, 1e6), "ib_gbs": (1e-3, 1e6), "price_reserved_per_hour_usd": (None, 1e5),
    "price_spot_per_hour_usd": (None, 1e5),
}  # fmt: skip


class CatalogError(ValueError):
    """Bad catalog input; the message starts with the field's name."""


class GpuLookupError(LookupError):
    def __init__(self, message: str, candidates: list[str]):
        super().__init__(message)
        self.candidates = candidates


@dataclass(frozen=True)
class GpuSpec:
    name: str
    vendor: str
    bf16_dense_tflops: float
    memory_gb: float
    fp32_tflops: float | None = None
    bandwidth_tbs: float | None = None
    tdp_w: float | None = None
    price_per_hour_usd: float | None = None
    price_note: str | None = None
    spec_source: str | None = None
    nvlink_gbs: float | None = None
    ib_gbs: float | None = None
    price_reserved_per_hour_usd: float | None = None
    price_spot_per_hour_usd: float | None = None
    price_tiers_note: str | None = None
    precisions: str | None = None

    def __post_init__(self) -> None:
        name = (self.name or "").strip()
        if not name:
            raise CatalogError("name: give the accelerator a name")
        if len(name) > 120:
            raise CatalogError("name: at most 120 characters")
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "vendor", (self.vendor or "").strip() or "unknown")
        for field in ("bf16_dense_tflops", "memory_gb"):
            object.__setattr__(self, field, _number(field, getattr(self, field), positive=True))
        for field in ("fp32_tflops", "bandwidth_tbs", "tdp_w", "nvlink_gbs", "ib_gbs"):
            value = getattr(self, field)
            object.__setattr__(self, field, None if value is None else _number(field, value, positive=True))
        for field in ("price_per_hour_usd", "price_reserved_per_hour_usd", "price_spot_per_hour_usd"):
            price = getattr(self, field)
            object.__setattr__(self, field, None if price is None else _number(field, price))
        for field in ("price_note", "spec_source", "price_tiers_note"):
            text = getattr(self, field)
            object.__setattr__(self, field, (str(text).strip() or None) if text is not None else None)
        object.__setattr__(self, "precisions", _formats_text(self.precisions))

    def as_dict(self) -> dict:
        return asdict(self)

    def formats(self) -> frozenset[str]:
        """Number formats the tensor cores run. A row that lists none gets FP32, FP16 and BF16 (what its
        bf16_dense_tflops column implies) plus FP8 where the name is a known FP8 part."""
        if self.precisions:
            return frozenset(self.precisions.split(","))
        return frozenset({"fp32", "fp16", "bf16", "int8"} | ({"fp8"} if supports_fp8(self.name) else set()))

    def supports(self, precision: str) -> bool:
        return precision in self.formats()

    def half_precision(self) -> str:
        """The 16-bit format training and serving default to: BF16 where the GPU has it, else FP16."""
        return "bf16" if self.supports("bf16") else "fp16"

    def price(self, tier: str = "on_demand") -> tuple[float | None, str]:
        """(USD per GPU-hour, where it came from) for on-demand, reserved or spot."""
        if tier not in PRICE_TIERS:
            raise CatalogError(f"pricing: one of {', '.join(PRICE_TIERS)}, got {tier!r}")
        if tier == "on_demand":
            return self.price_per_hour_usd, self.price_note or "catalog"
        value = self.price_reserved_per_hour_usd if tier == "reserved" else self.price_spot_per_hour_usd
        return value, (self.price_tiers_note or "catalog") if value is not None else f"no {tier} price in the catalog"

    @property
    def network_gbs(self) -> float:
        return self.ib_gbs or DEFAULT_NETWORK_GBS

    @property
    def scale_up_gbs(self) -> float:
        """Bandwidth between GPUs of one server, one direction (NVLink figures are quoted for both directions)."""
        return self.nvlink_gbs / 2 if self.nvlink_gbs else PCIE_GBS


def _number(field: str, value, positive: bool = False) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise CatalogError(f"{field}: must be a number, got {value!r}") from None
    if not math.isfinite(number):
        raise CatalogError(f"{field}: must be a finite number, got {value!r}")
    if positive and number <= 0:
        raise CatalogError(f"{field}: must be greater than 0, got {number:g}")
    if number < 0:
        raise CatalogError(f"{field}: must not be negative, got {number:g}")
    low, high = SPEC_BOUNDS.get(field, (None, None))
    if high is not None and number > high:
        raise CatalogError(f"{field}: at most {high:g}, got {number:g}")
    if low is not None and 0 < number < low:
        raise CatalogError(f"{field}: at least {low:g}, got {number:g}")
    return number


def _formats_text(value) -> str | None:
    if value is None:
        return None
    items = value if isinstance(value, list | tuple | set | frozenset) else str(value).replace(";", ",").split(",")
    formats = [item.strip().lower() for item in items if str(item).strip()]
    unknown = [item for item in formats if item not in KNOWN_FORMATS]
    if unknown:
        raise CatalogError(f"precisions: {unknown[0]!r} is not one of {', '.join(KNOWN_FORMATS)}")
    return ",".join(dict.fromkeys(formats)) or None


def spec_from_mapping(values: dict) -> GpuSpec:
    """A GpuSpec from any mapping with the catalog's column names; blank strings count as missing."""
    known = {f.name for f in fields(GpuSpec)}
    cleaned = {k: (None if isinstance(v, str) and not v.strip() else v) for k, v in values.items() if k in known}
    for required in ("name", "bf16_dense_tflops", "memory_gb"):
        if cleaned.get(required) is None:
            raise CatalogError(f"{required}: required")
    cleaned.setdefault("vendor", None)
    return GpuSpec(**cleaned)


@cache
def seeded_specs() -> tuple[GpuSpec, ...]:
    """The catalog as shipped (db/seed_data/gpus.csv), without touching a database."""
    from db.seed import hardware_seed_rows

    return tuple(spec_from_mapping(row) for row in hardware_seed_rows())


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[-_/,]", " ", text.lower())).strip()


def _token_matches(token: str, spec: GpuSpec) -> bool:
    name = _normal(spec.name)
    if token in name or token in _normal(spec.vendor):
        return True
    memory = re.fullmatch(r"(\d+(?:\.\d+)?)\s*g(?:b|ib)?", token)
    if memory and math.isclose(float(memory.group(1)), spec.memory_gb):
        return True
    # "sxm4" or "sxm5" still means the SXM part the catalog lists.
    return any(len(word) >= 3 and token.startswith(word) for word in name.split())


def find_gpu(query: str, catalog: list[GpuSpec] | tuple[GpuSpec, ...]) -> GpuSpec:
    """The one catalog entry a name means: exact, else an unambiguous case-insensitive part of one ("H100",
    "a100 40gb"); memory sizes like "80GB" also match the entry's memory. Raises GpuLookupError otherwise."""
    wanted = _normal(query or "")
    if not wanted:
        raise GpuLookupError("gpu: give a GPU name", [spec.name for spec in catalog])
    exact = [spec for spec in catalog if _normal(spec.name) == wanted]
    if exact:
        return exact[0]
    squeezed = wanted.replace(" ", "")
    matches = [
        spec for spec in catalog if wanted in _normal(spec.name) or squeezed in _normal(spec.name).replace(" ", "")
    ]
    if not matches:
        tokens = [token for token in wanted.split() if token not in NOISE_WORDS] or wanted.split()
        matches = [spec for spec in catalog if all(_token_matches(token, spec) for token in tokens)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        names = [spec.name for spec in matches]
        raise GpuLookupError(f"gpu: {query!r} is ambiguous; candidates: {', '.join(names)}", names)
    names = [spec.name for spec in catalog]
    raise GpuLookupError(f"gpu: no catalog entry matches {query!r}; candidates: {', '.join(names)}", names)


def _row_to_spec(row) -> GpuSpec:
    return GpuSpec(**{field: getattr(row, field) for field in SPEC_FIELDS})


def list_hardware() -> list[dict]:
    """Every catalog row as a dict (spec fields plus is_seed and updated_at), sorted by vendor then name."""
    from sqlalchemy import select

    from db.engine import session_scope
    from db.models import Hardware

    with session_scope() as session:
        rows = session.scalars(select(Hardware).order_by(Hardware.vendor, Hardware.name))
        return [
            {**_row_to_spec(row).as_dict(), "is_seed": row.is_seed, "updated_at": row.updated_at.isoformat()}
            for row in rows
        ]


def catalog_specs() -> list[GpuSpec]:
    return [spec_from_mapping(row) for row in list_hardware()]


def _stored(session, name: str):
    """The row called `name` in any case or Unicode spelling ("h100 sxm" finds "H100 SXM")."""
    from sqlalchemy import select

    from db.models import Hardware

    return session.scalar(select(Hardware).where(Hardware.name_key == name_key(name)))


def get_hardware(name: str) -> GpuSpec | None:
    from db.engine import session_scope

    with session_scope() as session:
        row = _stored(session, name)
        return _row_to_spec(row) if row else None


def resolve_gpu(query: str) -> GpuSpec:
    """find_gpu over the stored catalog."""
    return find_gpu(query, catalog_specs())


def _already_there(name: str) -> CatalogError:
    return CatalogError(f"name: {name!r} is already in the catalog")


def add_hardware(spec: GpuSpec | dict) -> GpuSpec:
    from sqlalchemy.exc import IntegrityError

    from db.engine import session_scope
    from db.models import Hardware

    spec = spec if isinstance(spec, GpuSpec) else spec_from_mapping(spec)
    try:
        with session_scope() as session:
            if _stored(session, spec.name) is not None:
                raise _already_there(spec.name)
            session.add(Hardware(**spec.as_dict(), is_seed=False))
    except IntegrityError:  # another process added the same name between the check and the commit
        raise _already_there(spec.name) from None
    return spec


def update_hardware(current_name: str, /, **changes) -> GpuSpec:
    """Change some fields of an entry (renaming allowed); the whole entry is validated before anything is written."""
    from sqlalchemy.exc import IntegrityError

    from db.engine import session_scope

    unknown = set(changes) - set(SPEC_FIELDS)
    if unknown:
        raise CatalogError(f"{sorted(unknown)[0]}: not a catalog field")
    spec = None
    try:
        with session_scope() as session:
            row = _stored(session, current_name)
            if row is None:
                raise CatalogError(f"name: {current_name!r} is not in the catalog")
            cleaned = {
                k: (None if isinstance(v, str) and not v.strip() and k != "name" else v) for k, v in changes.items()
            }
            spec = replace(_row_to_spec(row), **cleaned)
            clash = _stored(session, spec.name)
            if clash is not None and clash.id != row.id:
                raise _already_there(spec.name)
            for field, value in spec.as_dict().items():
                setattr(row, field, value)
    except IntegrityError:
        raise _already_there(spec.name if spec else current_name) from None
    return spec


def delete_hardware(name: str) -> None:
    from db.engine import session_scope

    with session_scope() as session:
        row = _stored(session, name)
        if row is None:
            raise CatalogError(f"name: {name!r} is not in the catalog")
        session.delete(row)


def restore_seeded() -> int:
    """Put every shipped GPU back with its shipped figures; entries the user added are kept. Returns rows written."""
    from db.engine import session_scope
    from db.seed import restore_hardware

    with session_scope() as session:
        return restore_hardware(session)
