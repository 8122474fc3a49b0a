"""A small JSON Schema checker for the rule-set and template files a finance bureau hands out.

It understands the keywords those schemas use (type, required, properties, additionalProperties, enum, const,
pattern, minimum, maximum, minItems, maxItems, minLength, items, $ref into $defs) and says what is wrong in
one Chinese sentence that names the field ("字段“rounding”的值……").  The program validates without the
jsonschema package (a test dependency only); the tests check the same files with jsonschema as well.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from selfeval_gui.domain.quoting import quoted

log = logging.getLogger(__name__)

_TYPE_WORDS = {
    "string": "文字",
    "integer": "整数",
    "number": "数字",
    "boolean": "true 或 false",
    "object": "对象（{…}）",
    "array": "列表（[…]）",
    "null": "null",
}


def _is(value: object, kind: str) -> bool:
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    types: dict[str, type | tuple[type, ...]] = {
        "string": str,
        "boolean": bool,
        "object": dict,
        "array": list,
        "null": type(None),
    }
    return isinstance(value, types[kind])


def _field(path: tuple[str | int, ...]) -> str:
    if not path:
        return "文件的最外层"
    text = ""
    for p in path:
        text += f"[{p + 1}]" if isinstance(p, int) else (f".{p}" if text else p)
    return f"字段“{text}”"


def _resolve(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if not ref:
        return schema
    node: Any = root
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return _resolve(node, root)


def _strict_end(pattern: str) -> str:
    """JSON Schema's "$" ends the text; Python's also matches before a final newline ("con\n" would pass
    "^[a-z]+$"): the pattern's final "$" becomes "\\Z"."""
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        return pattern[:-1] + r"\Z"
    return pattern


def _scalar(value: object, s: dict[str, Any], where: str) -> str | None:
    if "const" in s and value != s["const"]:
        return f"{where}应为 {s['const']!r}。"
    if "enum" in s and value not in s["enum"]:
        shown = quoted(value) if isinstance(value, str) else repr(value)[:40]
        return f"{where}的值 {shown} 无效，应为：{'、'.join(repr(v) for v in s['enum'])}。"
    if isinstance(value, str):
        if "pattern" in s and not re.search(_strict_end(s["pattern"]), value):
            return f"{where}的值{quoted(value)}格式不对。"
        if len(value) < s.get("minLength", 0):
            return f"{where}不能为空。"
    if _is(value, "number"):
        if "minimum" in s and value < s["minimum"]:
            return f"{where}的值 {value} 小于 {s['minimum']}。"
        if "maximum" in s and value > s["maximum"]:
            return f"{where}的值 {value} 大于 {s['maximum']}。"
    return None


def _object(value: dict[str, Any], s: dict[str, Any], path: tuple[str | int, ...], root: dict[str, Any]) -> str | None:
    for key in s.get("required", ()):
        if key not in value:
            return f"缺少{_field(path + (key,))}。"
    props, extra = s.get("properties", {}), s.get("additionalProperties")
    for key, item in value.items():
        if key not in props and extra is False:
            return f"{_field(path + (key,))}不是允许的字段（可能拼写有误）。"
        sub = props.get(key, extra if isinstance(extra, dict) else None)
        err = check_value(item, sub, path + (key,), root) if sub is not None else None
        if err:
            return err
    return None


def _array(value: list[Any], s: dict[str, Any], path: tuple[str | int, ...], root: dict[str, Any]) -> str | None:
    where = _field(path)
    if len(value) < s.get("minItems", 0):
        return f"{where}至少要有 {s['minItems']} 项。"
    if "maxItems" in s and len(value) > s["maxItems"]:
        return f"{where}最多 {s['maxItems']} 项。"
    if isinstance(s.get("items"), dict):
        for n, item in enumerate(value):
            err = check_value(item, s["items"], path + (n,), root)
            if err:
                return err
    return None


def _children(value: object, s: dict[str, Any], path: tuple[str | int, ...], root: dict[str, Any]) -> str | None:
    if isinstance(value, dict):
        return _object(value, s, path, root)
    if isinstance(value, list):
        return _array(value, s, path, root)
    return None


def check_value(
    value: object, schema: dict[str, Any], path: tuple[str | int, ...] = (), root: dict[str, Any] | None = None
) -> str | None:
    """The first thing wrong with `value` under `schema`, as one Chinese sentence; None when it is valid."""
    root = root if root is not None else schema
    s = _resolve(schema, root)
    kinds = s.get("type")
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else kinds
        if not any(_is(value, k) for k in kinds):
            return f"{_field(path)}应为{'或'.join(_TYPE_WORDS[k] for k in kinds)}。"
    return _scalar(value, s, _field(path)) or _children(value, s, path, root)
