"""`manage.py export_profiles OUT.csv`: every agent's profile, streamed."""

import pytest
from django.core.management import call_command

from tests.competences.helpers import measure
from tremplin.core.enums import AuditAction
from tremplin.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_export_profiles_writes_the_documented_columns(gaps_world, tmp_path):
    out = tmp_path / "profils.csv"
    call_command("export_profiles", str(out), verbosity=0)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the accents right
    lines = raw.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "matricule;competence;level;source;date"
    a21 = gaps_world.a21.matricule
    assert f"{a21};3.1;2,5;diagnostic;2025-03-10" in lines
    assert f"{a21};1.3;1;pix;2025-03-10" in lines
    # One line per agent and measured competence (8 in the dataset), then the last CRLF.
    assert len(lines) == 1 + 8 + 1 and lines[-1] == ""
    assert AuditEntry.objects.filter(
        action=AuditAction.EXPORT, target_type="competences.profileentry"
    ).exists()


def test_rows_come_by_agent_then_framework_order(gaps_world, tmp_path):
    measure(gaps_world.a21, "1.1", 4)
    out = tmp_path / "profils.csv"
    call_command("export_profiles", str(out), verbosity=0)
    rows = [line.split(";") for line in out.read_text("utf-8-sig").splitlines()[1:]]
    codes = [code for matricule, code, *_ in rows if matricule == gaps_world.a21.matricule]
    assert codes == ["1.1", "1.3", "3.1"]


def test_export_profiles_to_standard_output(gaps_world, capsys):
    call_command("export_profiles", "-", verbosity=0)
    assert "matricule;competence;level;source;date" in capsys.readouterr().out
