"""JSON files: round trip, schema, atomic save with backup, and every kind of unreadable file left untouched."""
import json
import os
from decimal import Decimal as D

import pytest

from selfeval_gui.domain.rules import new_form
from selfeval_gui.files.formfile import (FormFileError, dumps, fingerprint, form_to_data, load_form, loads,
                                         save_form)
from selfeval_gui.paths import resource_path

from .conftest import BLANK, SEED1, SEED2


@pytest.mark.parametrize("path", [SEED1, SEED2, BLANK])
def test_round_trip(path, cn_dir):
    form = load_form(path)
    out = cn_dir / "再存一次.json"
    save_form(form, out)
    again = load_form(out)
    assert again == form
    assert out.read_text(encoding="utf-8") == path.read_text(encoding="utf-8")


def test_decimals_stay_exact(seed1, cn_dir):
    out = cn_dir / "表.json"
    save_form(seed1, out)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["funds"][0]["initial"] == "1514.0223"
    assert load_form(out).fund("total").initial == D("1514.0223")


def test_bundled_forms_match_schema():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(resource_path("schema", "selfeval-form.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    for path in (SEED1, SEED2, BLANK):
        jsonschema.validate(json.loads(path.read_text(encoding="utf-8")), schema)


def test_save_keeps_backup_and_leaves_no_temp(seed1, cn_dir):
    out = cn_dir / "公共事务协管经费.json"
    save_form(seed1, out)
    first = out.read_bytes()
    seed1.project_name = "改过的名称"
    save_form(seed1, out)
    assert (cn_dir / "公共事务协管经费.json.bak").read_bytes() == first
    assert load_form(out).project_name == "改过的名称"
    assert sorted(p.name for p in cn_dir.iterdir()) == ["公共事务协管经费.json", "公共事务协管经费.json.bak"]


def test_save_retries_a_windows_sharing_error(seed1, cn_dir, monkeypatch):
    real = os.replace
    calls = {"n": 0}

    def flaky(a, b):
        calls["n"] += 1
        if calls["n"] <= 2:
            raise PermissionError(13, "另一个程序正在使用此文件")
        return real(a, b)
    monkeypatch.setattr(os, "replace", flaky)
    out = cn_dir / "表.json"
    save_form(seed1, out, backup=False)
    assert calls["n"] == 3 and load_form(out) == seed1


def test_failed_save_leaves_old_file(seed1, cn_dir, monkeypatch):
    out = cn_dir / "表.json"
    save_form(seed1, out)
    before = out.read_bytes()

    def always(a, b):
        raise PermissionError(13, "denied")
    monkeypatch.setattr(os, "replace", always)
    with pytest.raises(FormFileError, match="原文件未改动"):
        save_form(new_form(), out, backup=False)
    assert out.read_bytes() == before
    assert [p.name for p in cn_dir.iterdir()] == ["表.json"]


def _valid():
    return json.loads(SEED1.read_text(encoding="utf-8"))


def _with(**changes):
    d = _valid()
    d.update(changes)
    return json.dumps(d, ensure_ascii=False).encode("utf-8")


BAD_FILES = {
    "not_json": (b"{ this is not json", "不是有效的 JSON"),
    "empty": (b"", "不是有效的 JSON"),
    "binary": (bytes(range(256)) * 4, "UTF-8"),
    "other_json": (b'{"hello": "world"}', "不是绩效自评表文件"),
    "a_list": (b"[1, 2, 3]", "不是绩效自评表文件"),
    "newer_version": (_with(version=99), "更新版本"),
    "bad_version": (_with(version="一"), "版本号无效"),
    "bad_year": (_with(year="二〇二〇"), "年度"),
    "unknown_rule_set": (_with(rule_set="mars-2099"), "找不到规则集"),
    "list_amount": (_with(budget_weight=[10]), "写成文字的数字"),
    "number_as_name": (_with(header={"project_name": 1.5}), "应为文字"),
    "letters_in_amount": (_with(budget_weight="十分"), "不是一个数字"),
    "wrong_shape": (_with(funds={"total": 1}), "格式不对"),
    "deep_nesting": (b"[" * 100000 + b"]" * 100000, "JSON"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_unreadable_file_gives_message_and_is_unchanged(name, cn_dir):
    content, expected = BAD_FILES[name]
    path = cn_dir / f"坏文件_{name}.json"
    path.write_bytes(content)
    with pytest.raises(FormFileError) as e:
        load_form(path)
    assert expected in str(e.value)
    assert "Traceback" not in str(e.value)
    assert path.read_bytes() == content
    assert [p.name for p in cn_dir.iterdir()] == [path.name]


def test_messages_name_fields_in_chinese(cn_dir):
    d = _valid()
    d["funds"][0]["budget"] = "一千"
    path = cn_dir / "表.json"
    path.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(FormFileError) as e:
        load_form(path)
    assert "年度资金总额" in str(e.value) and "全年预算数" in str(e.value) and "budget" not in str(e.value)


def test_missing_file_and_folder(cn_dir):
    with pytest.raises(FormFileError, match="找不到文件"):
        load_form(cn_dir / "没有这个文件.json")
    with pytest.raises(FormFileError, match="文件夹"):
        load_form(cn_dir)


def test_fingerprint_follows_content(seed1):
    a = fingerprint(seed1)
    assert len(a) == 12 and a == fingerprint(loads(dumps(seed1)))
    seed1.tree[0].children[0].indicators[0].actual = "未到位"
    assert fingerprint(seed1) != a


def test_only_inputs_are_stored(seed2):
    text = json.dumps(form_to_data(seed2), ensure_ascii=False)
    assert "4.67" not in text and "0.596" not in text and "90.67" not in text


def test_unquoted_numbers_stay_exact():
    d = _valid()
    d["funds"][0]["initial"] = "@@"
    text = json.dumps(d, ensure_ascii=False).replace('"@@"', "1514.0223")
    assert loads(text).fund("total").initial == D("1514.0223")
