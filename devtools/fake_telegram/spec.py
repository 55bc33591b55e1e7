"""Validate Bot API call parameters against ``spec.json`` (derived from Telegram's data).

Values may arrive natively (JSON bodies, direct calls) or as strings (form data, or
PTB's JSON-encoded-as-string objects); both are accepted and coerced as Telegram does.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import ApiError, bad_request

SPEC_PATH = Path(__file__).with_name("spec.json")
_ARRAY = "Array of "
_BOOL_STRINGS = {"true": True, "1": True, "false": False, "0": False}


@dataclass(frozen=True)
class UploadedFile:
    """A file uploaded with a request (multipart part)."""

    filename: str
    content: bytes
    mime_type: str | None = None

    def __repr__(self) -> str:
        return f"<UploadedFile {self.filename!r} {len(self.content)} bytes>"


class _Mismatch(Exception):
    """Internal: a value does not fit a type; message is a human readable detail."""


class Spec:
    """The compact Bot API spec with a parameter validator."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.api_version: str | None = data.get("api_version")
        self.methods: dict[str, Any] = data["methods"]
        self.types: dict[str, Any] = data["types"]
        self._by_lower = {name.lower(): name for name in self.methods}

    @classmethod
    def load(cls, path: Path | str | None = None) -> Spec:
        """Load ``spec.json`` (cached for the default path)."""
        if path is None:
            return _default_spec()
        return cls(json.loads(Path(path).read_text(encoding="utf-8")))

    def canonical(self, method: str) -> str | None:
        """Telegram method names are case-insensitive; return the spec spelling."""
        return self._by_lower.get(method.lower())

    # -- public validation ----------------------------------------------------------
    def validate(
        self,
        method: str,
        params: dict[str, Any],
        files: dict[str, UploadedFile] | None = None,
    ) -> dict[str, Any]:
        """Return coerced parameters or raise :class:`ApiError` (400)."""
        files = dict(files or {})
        spec_params = self.methods[method]["params"]
        attached = {v[len("attach://") :] for v in params.values() if isinstance(v, str) and v.startswith("attach://")}
        for name in params:
            if name not in spec_params:
                raise bad_request(f"unknown parameter {name}")
        for name in files:
            if name not in spec_params and name not in attached:
                raise bad_request(f"unknown parameter {name}")
        out: dict[str, Any] = {}
        for name, pspec in spec_params.items():
            value = params.get(name)
            if value is None and name in files:
                value = files[name]
            elif isinstance(value, str) and value.startswith("attach://"):
                key = value[len("attach://") :]
                if key not in files:
                    raise bad_request(f"file {key} for parameter {name} not found")
                value = files[key]
            if value is None:
                if pspec["required"]:
                    raise bad_request(f"{name} is empty")
                continue
            out[name] = self._coerce_param(name, value, pspec["types"])
        return out

    def check_object(self, type_name: str, value: Any) -> Any:
        """Coerce/validate a value of an object type (raises ValueError)."""
        try:
            return self._coerce(value, type_name, type_name)
        except _Mismatch as exc:
            raise ValueError(str(exc)) from None

    def missing_required(self, value: Any, type_name: str, path: str = "result") -> list[str]:
        """List required fields absent from a result object (recursively, spec types only).

        Used to check that what the fake returns is what Telegram would return.
        """
        tspec = self.types.get(type_name)
        if tspec is None:
            return []
        if not isinstance(value, dict):
            return [f"{path} is not an object ({type_name})"]
        if tspec.get("subtypes"):
            for sub in tspec["subtypes"]:
                disc = self.types.get(sub, {}).get("discriminator") or {}
                if disc and all(value.get(k) == v for k, v in disc.items()):
                    return self.missing_required(value, sub, path)
            return [f"{path}: no {type_name} variant matches"]
        problems: list[str] = []
        for name, fspec in tspec["fields"].items():
            if name not in value:
                if fspec["required"]:
                    problems.append(f"{path} ({type_name}) lacks required field {name}")
                continue
            for ftype in fspec["types"]:
                depth = ftype.count(_ARRAY)
                base = ftype.replace(_ARRAY, "")
                if base not in self.types or base == "InputFile":
                    continue
                items = [value[name]]
                for _ in range(depth):
                    items = [x for item in items if isinstance(item, list) for x in item]
                for i, item in enumerate(items):
                    problems += self.missing_required(item, base, f"{path}.{name}[{i}]")
        return problems

    # -- internals --------------------------------------------------------------------
    def _coerce_param(self, name: str, value: Any, types: list[str]) -> Any:
        errors: list[str] = []
        for type_name in types:
            try:
                return self._coerce(value, type_name, name)
            except _Mismatch as exc:
                errors.append(str(exc))
        if any(t.startswith(_ARRAY) or t in self.types for t in types if t != "InputFile"):
            detail = self._pick_error(value, types, errors)
            raise bad_request(f"can't parse {name} JSON object: {detail}")
        raise bad_request(f"wrong type of parameter {name}: expected {' or '.join(types)}")

    def _pick_error(self, value: Any, types: list[str], errors: list[str]) -> str:
        """For a union of object types, report the error of the variant that was meant."""
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                return "not a valid JSON value"
        if isinstance(value, dict) and len(types) > 1:
            for type_name, error in zip(types, errors, strict=False):
                fields = self.types.get(type_name, {}).get("fields", {})
                required = [k for k, f in fields.items() if f["required"]]
                if required and all(k in value for k in required):
                    return error
        return _best(errors)

    def _coerce(self, value: Any, type_name: str, path: str) -> Any:
        if type_name.startswith(_ARRAY):
            inner = type_name[len(_ARRAY) :]
            if isinstance(value, str):
                try:
                    value = json.loads(value)
                except ValueError:
                    raise _Mismatch(f'field "{path}" must be an Array') from None
            if not isinstance(value, list):
                raise _Mismatch(f'field "{path}" must be an Array')
            return [self._coerce(v, inner, f"{path}[{i}]") for i, v in enumerate(value)]
        scalar = _SCALARS.get(type_name)
        if scalar is not None:
            return scalar(value, path)
        if type_name == "InputFile":
            if isinstance(value, UploadedFile):
                return value
            raise _Mismatch(f'field "{path}" must be an uploaded file')
        if type_name not in self.types:
            raise _Mismatch(f'field "{path}" has unsupported type {type_name}')
        return self._coerce_object(value, type_name, path)

    def _coerce_object(self, value: Any, type_name: str, path: str) -> dict[str, Any]:
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                raise _Mismatch(f'field "{path}" must be a JSON object') from None
        if not isinstance(value, dict):
            raise _Mismatch(f'field "{path}" must be an Object ({type_name})')
        tspec = self.types[type_name]
        if tspec.get("subtypes"):
            return self._coerce_variant(value, type_name, path)
        fields = tspec["fields"]
        for key in value:
            if key not in fields:
                raise _Mismatch(f'unknown field "{key}" in {type_name} at "{path}"')
        out: dict[str, Any] = {}
        for key, fspec in fields.items():
            if value.get(key) is None:
                if fspec["required"]:
                    raise _Mismatch(f'can\'t find field "{key}" of {type_name} at "{path}"')
                continue
            sub = f"{path}.{key}"
            errors = []
            for ftype in fspec["types"]:
                try:
                    out[key] = self._coerce(value[key], ftype, sub)
                    break
                except _Mismatch as exc:
                    errors.append(str(exc))
            else:
                raise _Mismatch(self._pick_error(value[key], fspec["types"], errors))
        for key, expected in (tspec.get("discriminator") or {}).items():
            if out.get(key) != expected:
                raise _Mismatch(f'field "{path}.{key}" must be "{expected}"')
        return out

    def _coerce_variant(self, value: dict[str, Any], type_name: str, path: str) -> dict:
        for sub in self.types[type_name]["subtypes"]:
            disc = self.types.get(sub, {}).get("discriminator") or {}
            if disc and all(value.get(k) == v for k, v in disc.items()):
                return self._coerce_object(value, sub, path)
        raise _Mismatch(f'unsupported {type_name} kind at "{path}"')


def _best(errors: list[str]) -> str:
    """Pick the most specific mismatch message (the longest path wins)."""
    return max(errors, key=len) if errors else "invalid value"


def _integer(value: Any, path: str) -> int:
    if isinstance(value, bool):
        raise _Mismatch(f'field "{path}" must be an Integer')
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        text = value.strip()
        if text.lstrip("-").isdigit() and text.count("-") <= 1 and not text.endswith("-"):
            return int(text)
    raise _Mismatch(f'field "{path}" must be an Integer')


def _float(value: Any, path: str) -> float:
    if isinstance(value, bool):
        raise _Mismatch(f'field "{path}" must be a Float')
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            pass
    raise _Mismatch(f'field "{path}" must be a Float')


def _boolean(value: Any, path: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _BOOL_STRINGS:
        return _BOOL_STRINGS[value.strip().lower()]
    raise _Mismatch(f'field "{path}" must be a Boolean')


def _string(value: Any, path: str) -> str:
    if isinstance(value, str):
        return value
    raise _Mismatch(f'field "{path}" must be a String')


_SCALARS = {"Integer": _integer, "Float": _float, "Boolean": _boolean, "String": _string}


@lru_cache(maxsize=1)
def _default_spec() -> Spec:
    return Spec(json.loads(SPEC_PATH.read_text(encoding="utf-8")))


__all__ = ["ApiError", "Spec", "UploadedFile", "SPEC_PATH"]
