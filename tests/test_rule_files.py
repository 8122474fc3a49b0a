"""Issue 13: rule sets and templates as files a finance bureau hands out — the schemas, installing (window and
command line), refusals that name the field, an installed rule set after a restart, check --rule-set."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import jsonschema
import pytest

from selfeval_gui.domain import rules
from selfeval_gui.files.formfile import save_form
from selfeval_gui.files.rule_files import InstallError, install, schema_for

from .support import ROOT, SEED2, province_form


def _bundled(kind: str, name: str) -> dict:
    return json.loads((ROOT / "resources" / kind / f"{name}.json").read_text(encoding="utf-8"))


def _city_rule_set(**changes) -> dict:
    data = _bundled("rulesets", "chaoyang-2020")
    data.update({"id": "city-2024", "name": "某市 2024年度（截尾）", "rounding": "down", **changes})
    return data


def _write(folder, name, data) -> object:
    p = folder / name
    p.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return p


@pytest.mark.parametrize("kind", ["rulesets", "templates"])
def test_the_published_schemas_are_valid_and_every_bundled_file_matches(kind):
    schema = schema_for(kind)
    jsonschema.Draft202012Validator.check_schema(schema)
    for path in sorted((ROOT / "resources" / kind).glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        jsonschema.validate(data, schema)  # the published schema, read by the standard validator
        assert data["id"] == path.stem


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"rounding": "ceiling"}, "rounding"),
        ({"rate_places": "两位"}, "rate_places"),
        ({"qualitative_bands": {"achieved": ["0.8", "1"]}}, "qualitative_bands.partial"),
        ({"grades": [["优", 90]]}, "grades[1][2]"),
        ({"roundin": "down"}, "roundin"),
    ],
)
def test_an_invalid_rule_set_is_refused_with_its_field_named(cn_dir, change, field):
    path = _write(cn_dir, "规则.json", _city_rule_set(**change))
    with pytest.raises(InstallError, match=field.replace("[", r"\[").replace("]", r"\]")) as e:
        install(path)
    # the standard validator refuses the same file: the schema says what our checker says
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(json.loads(path.read_text(encoding="utf-8")), schema_for("rulesets"))
    assert "不符合格式要求" in str(e.value)
    assert "city-2024" not in rules.rule_set_ids()


def test_a_missing_field_is_named(cn_dir):
    data = _city_rule_set()
    del data["reverse_rule"]
    with pytest.raises(InstallError, match="缺少字段“reverse_rule”"):
        install(_write(cn_dir, "规则.json", data))


def test_a_bundled_rule_set_cannot_be_overwritten(cn_dir):
    with pytest.raises(InstallError, match="程序自带"):
        install(_write(cn_dir, "规则.json", _city_rule_set(id="chaoyang-2020")))
    assert rules.get_rule_set("chaoyang-2020").rounding == "half_up"


def test_a_template_needs_its_rule_set_installed_first(cn_dir):
    template = _bundled("templates", "province-2023")
    template.update(id="city-2024", rule_set="city-2024")
    with pytest.raises(InstallError, match="先安装这个规则集"):
        install(_write(cn_dir, "模板.json", template))
    install(_write(cn_dir, "规则.json", _city_rule_set()))
    done = install(_write(cn_dir, "模板.json", template))
    assert done.kind == "templates" and "city-2024" in rules.template_ids()
    assert rules.new_form("city-2024").rule_set == "city-2024"


def _cli(*args, data_dir):
    env = dict(os.environ, SELFEVAL_DATA_DIR=str(data_dir))
    return subprocess.run(
        [sys.executable, "main.py", *args], capture_output=True, text=True, cwd=ROOT, env=env, encoding="utf-8"
    )


def test_an_installed_rule_set_survives_a_restart(cn_dir, tmp_path):
    data_dir = tmp_path / "用户数据"
    r = _cli("rulesets", "install", str(_write(cn_dir, "规则.json", _city_rule_set())), data_dir=data_dir)
    assert r.returncode == 0 and "已安装规则集“city-2024”" in r.stdout
    assert (data_dir / "rulesets" / "city-2024.json").is_file()
    listed = _cli("rulesets", data_dir=data_dir).stdout  # a new process: read from the user data folder
    assert "city-2024  某市 2024年度（截尾）  [已安装]" in listed and "chaoyang-2020" in listed
    form = cn_dir / "表.json"
    save_form(province_form(), form)
    before = form.read_bytes()
    r = _cli("check", str(form), "--rule-set", "city-2024", "--json", data_dir=data_dir)
    [rep] = json.loads(r.stdout)
    assert rep["rule_set"] == "city-2024" and rep["rule_set_of_file"] == "province-2023"
    assert rep["execution_rate_display"] == "49%"  # 49.96 % cut off to a whole percent
    assert form.read_bytes() == before  # only a trial: the file is not changed


def test_an_invalid_file_on_the_command_line_is_one_sentence_and_exit_2(cn_dir, tmp_path):
    r = _cli(
        "rulesets", "install", str(_write(cn_dir, "规则.json", _city_rule_set(rounding="ceiling"))), data_dir=tmp_path
    )
    assert r.returncode == 2 and "rounding" in r.stdout and "Traceback" not in r.stdout + r.stderr
    r = _cli("check", str(SEED2), "--rule-set", "mars-2099", data_dir=tmp_path)
    assert r.returncode == 2 and "找不到规则集“mars-2099”" in r.stderr


def test_a_form_with_a_missing_rule_set_checks_with_a_clear_finding(cn_dir, tmp_path):
    f = province_form()
    f.rule_set = "city-2024"
    save_form(f, cn_dir / "表.json")
    r = _cli("check", str(cn_dir / "表.json"), data_dir=tmp_path)
    assert r.returncode == 1
    assert "规则集“city-2024”没有安装" in r.stdout and "暂按" in r.stdout
    [rep] = json.loads(_cli("check", str(cn_dir / "表.json"), "--json", data_dir=tmp_path).stdout)
    assert rep["missing_rule_set"] == "city-2024" and rep["rule_set"] == "province-2023"
