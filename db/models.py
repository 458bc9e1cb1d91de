"""SQLAlchemy 2.0 typed models. Every schema change also needs an Alembic migration in db/migrations/versions."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, validates

from core.text import name_key as key_of_name


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A moment in time, stored in UTC and always read back time-zone aware. PostgreSQL keeps the zone itself
    (timestamptz); SQLite keeps text without a zone, so a naive value read from it is UTC. A naive value written is
    taken as UTC too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime}


class NameKeyed:
    """A user-named row: `name_key` (core.text.name_key of the name) is unique, so "H100 SXM" and "h100 sxm" cannot
    both exist, and lookups by any spelling of the name go through it. It follows every write of `name`."""

    name_key: Mapped[str] = mapped_column(Text, unique=True)

    @validates("name")
    def _keep_name_key(self, _field: str, name: str) -> str:
        self.name_key = key_of_name(name)
        return name


class TrainingRun(Base):
    __tablename__ = "training_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(16), index=True)  # running | succeeded | failed | interrupted
    error: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    variant: Mapped[str] = mapped_column(String(32), default="fast")  # trainer path: fast | seed | demo
    # What was trained, e.g. "mlp-512-256-128" (the reference) or "cnn-16-16-32-32" (the demo model).
    architecture: Mapped[str | None] = mapped_column(String(64))
    # Scaling-lab runs only: {"id": ladder id, "axis": "size" | "data", "label": point label}.
    ladder: Mapped[dict | None] = mapped_column(JSON)
    backend: Mapped[str | None] = mapped_column(String(32))
    framework_versions: Mapped[dict] = mapped_column(JSON, default=dict)
    device: Mapped[str | None] = mapped_column(String(8))  # cpu | gpu
    device_name: Mapped[str | None] = mapped_column(String(200))
    device_count: Mapped[int] = mapped_column(Integer, default=1)

    dataset: Mapped[str | None] = mapped_column(String(64))
    dataset_origin: Mapped[str | None] = mapped_column(Text)
    dataset_hash: Mapped[str | None] = mapped_column(String(64))
    n_train: Mapped[int | None] = mapped_column(Integer)
    n_test: Mapped[int | None] = mapped_column(Integer)

    epochs: Mapped[int] = mapped_column(Integer)
    batch_size: Mapped[int] = mapped_column(Integer)
    seed: Mapped[int] = mapped_column(BigInteger)
    params: Mapped[int | None] = mapped_column(BigInteger)

    wall_seconds: Mapped[float | None] = mapped_column(Float)
    samples_per_second: Mapped[float | None] = mapped_column(Float)
    flops_per_sample: Mapped[int | None] = mapped_column(BigInteger)
    achieved_flops: Mapped[float | None] = mapped_column(Float)
    peak_flops: Mapped[float | None] = mapped_column(Float)
    peak_flops_spec: Mapped[float | None] = mapped_column(Float)
    mfu: Mapped[float | None] = mapped_column(Float)
    power_watts: Mapped[float | None] = mapped_column(Float)
    energy_kwh: Mapped[float | None] = mapped_column(Float)
    price_per_hour: Mapped[float | None] = mapped_column(Float)
    cost_usd: Mapped[float | None] = mapped_column(Float)

    test_accuracy: Mapped[float | None] = mapped_column(Float)
    test_loss: Mapped[float | None] = mapped_column(Float)
    confusion_matrix: Mapped[list | None] = mapped_column(JSON)
    model_path: Mapped[str | None] = mapped_column(Text)
    # Who runs it, so a later start can tell a live run from one whose process died (core.lab.runs).
    pid: Mapped[int | None] = mapped_column(Integer)
    host: Mapped[str | None] = mapped_column(String(255))
    process_start: Mapped[str | None] = mapped_column(String(64))

    epochs_history: Mapped[list[EpochMetric]] = relationship(
        back_populates="run", cascade="all, delete-orphan", order_by="EpochMetric.epoch"
    )
    class_metrics: Mapped[list[ClassMetric]] = relationship(
        back_populates="run", cascade="all, delete-orphan", order_by="ClassMetric.digit"
    )


class EpochMetric(Base):
    __tablename__ = "epoch_metrics"
    __table_args__ = (UniqueConstraint("run_id", "epoch"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("training_runs.id", ondelete="CASCADE"), index=True)
    epoch: Mapped[int] = mapped_column(Integer)
    loss: Mapped[float] = mapped_column(Float)
    accuracy: Mapped[float] = mapped_column(Float)
    seconds: Mapped[float | None] = mapped_column(Float)

    run: Mapped[TrainingRun] = relationship(back_populates="epochs_history")


class ClassMetric(Base):
    __tablename__ = "class_metrics"
    __table_args__ = (UniqueConstraint("run_id", "digit"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("training_runs.id", ondelete="CASCADE"), index=True)
    digit: Mapped[int] = mapped_column(Integer)
    precision: Mapped[float] = mapped_column(Float)
    recall: Mapped[float] = mapped_column(Float)
    f1: Mapped[float] = mapped_column(Float)
    support: Mapped[int] = mapped_column(Integer)

    run: Mapped[TrainingRun] = relationship(back_populates="class_metrics")


class Hardware(NameKeyed, Base):
    __tablename__ = "hardware"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    vendor: Mapped[str] = mapped_column(String(60))
    bf16_dense_tflops: Mapped[float] = mapped_column(Float)
    fp32_tflops: Mapped[float | None] = mapped_column(Float)
    memory_gb: Mapped[float] = mapped_column(Float)
    bandwidth_tbs: Mapped[float | None] = mapped_column(Float)
    tdp_w: Mapped[float | None] = mapped_column(Float)
    price_per_hour_usd: Mapped[float | None] = mapped_column(Float)
    price_note: Mapped[str | None] = mapped_column(Text)
    spec_source: Mapped[str | None] = mapped_column(Text)
    nvlink_gbs: Mapped[float | None] = mapped_column(Float)  # GPU-to-GPU in one server, GB/s both directions
    ib_gbs: Mapped[float | None] = mapped_column(Float)  # network per GPU between servers, GB/s
    price_reserved_per_hour_usd: Mapped[float | None] = mapped_column(Float)
    price_spot_per_hour_usd: Mapped[float | None] = mapped_column(Float)
    price_tiers_note: Mapped[str | None] = mapped_column(Text)
    precisions: Mapped[str | None] = mapped_column(String(120))  # comma-separated tensor-core formats
    is_seed: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Benchmark(Base):
    __tablename__ = "benchmarks"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    device: Mapped[str] = mapped_column(String(8))
    device_name: Mapped[str] = mapped_column(String(200))
    peak_gflops: Mapped[float | None] = mapped_column(Float)
    train_bs32_samples_per_s: Mapped[float | None] = mapped_column(Float)
    train_bs256_samples_per_s: Mapped[float | None] = mapped_column(Float)
    train_bs256_mfu: Mapped[float | None] = mapped_column(Float)
    predict_p50_ms: Mapped[float | None] = mapped_column(Float)
    results: Mapped[dict] = mapped_column(JSON, default=dict)


class SavedEstimate(NameKeyed, Base):
    """A named GPU-budget estimate: its validated inputs and the outputs computed from them."""

    __tablename__ = "saved_estimates"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(32), default="training")
    inputs: Mapped[dict] = mapped_column(JSON, default=dict)
    outputs: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class FundingScenario(NameKeyed, Base):
    """A named funding scenario; the payload is the validated scenario as JSON."""

    __tablename__ = "funding_scenarios"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class AppMeta(Base):
    """Key-value facts about this data home, e.g. which seed sets were applied (so deletions are respected)."""

    __tablename__ = "app_meta"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class AppScenario(NameKeyed, Base):
    """An application of large models in the catalog; list-like fields are JSON lists of strings."""

    __tablename__ = "app_scenarios"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    sector: Mapped[str] = mapped_column(String(100), index=True)
    horizon: Mapped[str] = mapped_column(String(16))  # today | emerging
    tasks: Mapped[list] = mapped_column(JSON, default=list)
    description: Mapped[str] = mapped_column(Text)
    typical_model: Mapped[str] = mapped_column(String(200))
    typical_params: Mapped[float] = mapped_column(Float)
    training_tokens: Mapped[float] = mapped_column(Float)
    data_needs: Mapped[str] = mapped_column(Text)
    data_availability: Mapped[int] = mapped_column(Integer)  # 1 (scarce) .. 5 (abundant)
    compute_profile: Mapped[str] = mapped_column(Text)
    regulatory_risk: Mapped[str] = mapped_column(String(16))  # low | medium | high
    regulations: Mapped[list] = mapped_column(JSON, default=list)
    privacy_risk: Mapped[str] = mapped_column(String(16))
    explainability_need: Mapped[str] = mapped_column(String(16))
    maturity: Mapped[str] = mapped_column(String(32))
    example_products: Mapped[list] = mapped_column(JSON, default=list)
    key_risks: Mapped[list] = mapped_column(JSON, default=list)
    is_seed: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Plan(Base):
    """A named plan: application, training and serving estimate inputs, funding scenario and verdict thresholds.

    The payload is the validated plan file (core.plan.model.Plan); costs are derived from it at analysis time."""

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
