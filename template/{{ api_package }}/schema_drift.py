"""Compare the SQLModel models with the database Django's migrations built."""

from typing import Any

from sqlalchemy import Connection, MetaData, inspect
from sqlalchemy.types import TypeDecorator, TypeEngine


def _python_type(sql_type: TypeEngine[Any]) -> type | None:
    if isinstance(sql_type, TypeDecorator):  # SQLModel's AutoString wraps String
        sql_type = sql_type.impl_instance
    try:
        return sql_type.python_type
    except NotImplementedError:
        return None


def schema_drift(connection: Connection, metadata: MetaData) -> list[str]:
    """Every difference between the models and the database, one readable line each.

    Only the tables the models map are compared: the database also holds Django's tables the
    service never reads (sessions, the admin's log, the team's own apps), which are not drift.
    """
    inspector = inspect(connection)
    problems = []
    existing = set(inspector.get_table_names())
    for table in metadata.sorted_tables:
        if table.name not in existing:
            problems.append(f"{table.name}: the table is missing from the database")
            continue
        database = {column["name"]: column for column in inspector.get_columns(table.name)}
        for name in sorted(database.keys() - table.columns.keys()):
            problems.append(
                f"{table.name}.{name}: in the database (added by a Django migration?) "
                "but not in the SQLModel model"
            )
        for name in sorted(table.columns.keys() - database.keys()):
            problems.append(f"{table.name}.{name}: in the SQLModel model but not in the database")
        for name in sorted(table.columns.keys() & database.keys()):
            model, actual = table.columns[name], database[name]
            if model.nullable != actual["nullable"]:
                problems.append(
                    f"{table.name}.{name}: nullable is {model.nullable} in the model, "
                    f"{actual['nullable']} in the database"
                )
            model_type, actual_type = _python_type(model.type), _python_type(actual["type"])
            if model_type and actual_type and model_type is not actual_type:
                problems.append(
                    f"{table.name}.{name}: {model_type.__name__} in the model, "
                    f"{actual_type.__name__} in the database ({actual['type']})"
                )
            model_length = getattr(model.type, "length", None)
            actual_length = getattr(actual["type"], "length", None)
            if model_length and actual_length and model_length != actual_length:
                problems.append(
                    f"{table.name}.{name}: length {model_length} in the model, "
                    f"{actual_length} in the database"
                )
    return problems
