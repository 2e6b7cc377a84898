"""Stored full-text vectors: a generated column holding a record's weighted vector.

A search that tests each record against several queries (the ranked search in
recommendations/search.py) would otherwise rebuild the vector from the texts at every test,
and no index could serve its WHERE clause. PostgreSQL stores the vector and a GIN index
serves `@@`; SQLite has no full-text vectors, so the column holds NULL there and the search
reads the texts themselves.
"""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db.models import Expression
from django.utils.deconstruct import deconstructible


@deconstructible(path="core.fulltext.WeightedVector")
class WeightedVector(Expression):
    """`fields`' vectors, each with its weight (("title", "A"), ("summary", "B")), joined,
    in the text search configuration `config`: for a `GeneratedField(db_persist=True)`."""

    output_field = SearchVectorField()

    def __init__(self, fields: tuple[tuple[str, str], ...], config: str = "english") -> None:
        super().__init__()
        self.fields = tuple(tuple(pair) for pair in fields)
        self.config = config

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        return "NULL", []

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        vector: Any = None
        for name, weight in self.fields:
            part = SearchVector(name, weight=weight, config=self.config)
            vector = part if vector is None else vector + part
        sql, params = compiler.compile(vector.resolve_expression(compiler.query))
        return sql, list(params)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, WeightedVector) and (self.fields, self.config) == (
            other.fields,
            other.config,
        )

    def __hash__(self) -> int:
        return hash((self.fields, self.config))
