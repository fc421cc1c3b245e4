"""The counseling-DB command line: validate, import, export round trip on SQLite."""

import subprocess
import sys

from tests.stack import ROOT


def run(args, tmp_path):
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin",
           "MINWON_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}"}
    return subprocess.run([sys.executable, "-m", "minwon.knowledge", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def test_validate_import_export_roundtrip(tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("id,category,question,answer\nA1,교통,첫차 시간,05:30\nA2,교통,막차 시간,23:30\n",
                    encoding="cp949")
    bad = tmp_path / "bad.csv"
    bad.write_text("id,category,question,answer\nA1,교통,첫차 시간,05:30\nA1,교통,,\n", encoding="utf-8")

    assert run(["validate", str(good)], tmp_path).returncode == 0
    out = run(["validate", str(bad)], tmp_path)
    assert out.returncode == 1 and "3행 [id]" in out.stderr and "3행 [question]" in out.stderr
    refused = run(["import", str(bad)], tmp_path)
    assert refused.returncode == 1 and "저장하지 않았습니다" in refused.stderr
    assert run(["import", str(good), "--by", "담당자"], tmp_path).returncode == 0
    export = tmp_path / "out.xlsx"
    assert run(["export", str(export)], tmp_path).returncode == 0
    assert run(["validate", str(export)], tmp_path).stdout.startswith("유효한 행 2개")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    out = run(["validate", str(broken)], tmp_path)
    assert out.returncode == 2 and "XLSX" in out.stderr
