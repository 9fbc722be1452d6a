"""The apps' dependencies point one way: programs knows states; states knows nothing of
programs, so the list of jurisdictions can be reused, tested and migrated on its own."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imports_of_programs(folder):
    """Each 'file imports module' where a file under ``folder`` imports programs."""
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                if module == "programs" or module.startswith("programs."):
                    yield f"{path.relative_to(folder)} imports {module}"


def test_states_imports_nothing_from_programs():
    assert list(imports_of_programs(ROOT / "states")) == []


def test_the_scan_finds_both_forms_of_import(tmp_path):
    (tmp_path / "a.py").write_text("from programs.models import Figure\n")
    (tmp_path / "b.py").write_text("import programs.reader\nimport programsx\n")
    assert list(imports_of_programs(tmp_path)) == [
        "a.py imports programs.models",
        "b.py imports programs.reader",
    ]
